// Every resource, data source and provider block must use only the arguments and nested blocks its schema
// declares: what `terraform validate` would catch first, checked here without the provider binary.
import type { BlockSchema, ProviderSchema } from "./azurerm-schema.ts";
import { interpolations } from "./references.ts";
import {
  blockBodies,
  dataSources,
  dirOf,
  type HclBody,
  isRecord,
  localsOf,
  outputs,
  providers,
  resourceAddress,
  resources,
  type TfBlock,
  type TfFile,
  violation,
} from "./tf-tree.ts";
import { literalFits } from "./value-kinds.ts";

// hashicorp/random is not in the assembly; its random_password arguments (3.6 docs), written out by hand.
const RANDOM_PASSWORD: BlockSchema = {
  arguments: new Set([
    "length",
    "keepers",
    "lower",
    "min_lower",
    "min_numeric",
    "min_special",
    "min_upper",
    "numeric",
    "override_special",
    "special",
    "upper",
  ]),
  kinds: new Map([
    ["length", "number"],
    ["keepers", "map"],
    ["lower", "bool"],
    ["min_lower", "number"],
    ["min_numeric", "number"],
    ["min_special", "number"],
    ["min_upper", "number"],
    ["numeric", "bool"],
    ["override_special", "string"],
    ["special", "bool"],
    ["upper", "bool"],
  ]),
  blocks: new Map(),
  required: new Set(["length"]),
};

// hashicorp/time is not in the assembly either; time_sleep's arguments (0.13 docs), written out by hand.
const TIME_SLEEP: BlockSchema = {
  arguments: new Set(["create_duration", "destroy_duration", "triggers"]),
  kinds: new Map([
    ["create_duration", "string"],
    ["destroy_duration", "string"],
    ["triggers", "map"],
  ]),
  blocks: new Map(),
  required: new Set(),
};

const RESOURCE_META_ARGUMENTS = new Set(["count", "for_each", "depends_on", "provider", "lifecycle"]);
const DYNAMIC_ARGUMENTS = new Set(["for_each", "iterator", "labels", "content"]);

function checkBody(
  owner: TfBlock,
  address: string,
  body: HclBody,
  schema: BlockSchema,
  prefix: string,
  topLevel: boolean,
): string[] {
  const problems: string[] = [];
  const unknown = (argument: string) =>
    violation(owner, address, argument, `not an argument or block of ${owner.type} in the provider schema`);
  const dynamicBlocks = isRecord(body.dynamic) ? Object.keys(body.dynamic) : [];
  for (const name of schema.required) {
    if (!(name in body) && !dynamicBlocks.includes(name)) {
      problems.push(
        violation(owner, address, `${prefix}${name}`, `required by the schema of ${owner.type} but not set`),
      );
    }
  }
  for (const [key, value] of Object.entries(body)) {
    if (topLevel && RESOURCE_META_ARGUMENTS.has(key)) continue;
    if (key === "dynamic" && isRecord(value)) {
      for (const [blockName, definitions] of Object.entries(value)) {
        const nested = schema.blocks.get(blockName);
        if (!nested) {
          problems.push(unknown(`${prefix}dynamic "${blockName}"`));
          continue;
        }
        for (const definition of blockBodies(definitions)) {
          for (const extra of Object.keys(definition).filter((k) => !DYNAMIC_ARGUMENTS.has(k))) {
            problems.push(
              violation(
                owner,
                address,
                `${prefix}dynamic "${blockName}".${extra}`,
                "not valid in a dynamic block",
              ),
            );
          }
          for (const content of blockBodies(definition.content)) {
            problems.push(...checkBody(owner, address, content, nested, `${prefix}${blockName}.`, false));
          }
        }
      }
      continue;
    }
    const nested = schema.blocks.get(key);
    if (nested) {
      for (const child of blockBodies(value)) {
        problems.push(...checkBody(owner, address, child, nested, `${prefix}${key}.`, false));
      }
    } else if (!schema.arguments.has(key)) {
      problems.push(unknown(`${prefix}${key}`));
    } else {
      const kind = schema.kinds.get(key) ?? "any";
      if (!literalFits(value, kind)) {
        problems.push(
          violation(
            owner,
            address,
            `${prefix}${key}`,
            `is ${JSON.stringify(value)}, the schema expects a ${kind}`,
          ),
        );
      }
    }
  }
  return problems;
}

function schemaOf(
  block: TfBlock,
  kind: "resource" | "data",
  schema: ProviderSchema,
): BlockSchema | undefined {
  if (kind === "resource" && block.type === "random_password") return RANDOM_PASSWORD;
  if (kind === "resource" && block.type === "time_sleep") return TIME_SLEEP;
  return (kind === "resource" ? schema.resources : schema.dataSources).get(block.type);
}

/** Unknown resource types, arguments and nested blocks, each as "file: address: argument: problem". */
export function checkAgainstSchema(files: TfFile[], schema: ProviderSchema): string[] {
  const problems: string[] = [];
  for (const [kind, blocks] of [
    ["resource", resources(files)],
    ["data", dataSources(files)],
  ] as const) {
    for (const block of blocks) {
      const address = kind === "data" ? `data.${resourceAddress(block)}` : resourceAddress(block);
      const blockSchema = schemaOf(block, kind, schema);
      if (!blockSchema) {
        problems.push(
          violation(block, address, "(type)", `${block.type} is not a ${kind} type the checks know`),
        );
        continue;
      }
      problems.push(...checkBody(block, address, block.body, blockSchema, "", true));
    }
  }
  for (const block of providers(files)) {
    if (block.type !== "azurerm") {
      problems.push(
        violation(block, `provider.${block.type}`, "(type)", "only the azurerm provider is configured here"),
      );
      continue;
    }
    problems.push(...checkBody(block, "provider.azurerm", block.body, schema.provider, "", false));
  }
  return problems;
}

const TAGS_REFERENCE = /\b(var|local)\.tags\b/;

/**
 * Every resource whose schema has `tags` sets them from the module's tags (`local.tags` or `var.tags`),
 * and every `local.tags` merges the caller's `var.tags`.
 */
export function checkTags(files: TfFile[], schema: ProviderSchema): string[] {
  const problems: string[] = [];
  for (const block of resources(files)) {
    if (!schema.resources.get(block.type)?.arguments.has("tags")) continue;
    const tags = block.body.tags;
    if (tags === undefined) {
      problems.push(
        violation(
          block,
          resourceAddress(block),
          "tags",
          "missing; every taggable resource carries the module's tags",
        ),
      );
    } else if (typeof tags !== "string" || !TAGS_REFERENCE.test(tags)) {
      problems.push(
        violation(
          block,
          resourceAddress(block),
          "tags",
          `${JSON.stringify(tags)} must derive from local.tags or var.tags`,
        ),
      );
    }
  }
  for (const dir of new Set(files.map(dirOf))) {
    const localTags = localsOf(files, dir).tags;
    if (localTags !== undefined && !(typeof localTags === "string" && /\bvar\.tags\b/.test(localTags))) {
      problems.push(`${dir}: locals: tags: must merge var.tags so the caller's tags reach every resource`);
    }
  }
  return problems;
}

// random_password's readable attributes (3.6 docs), beside its arguments.
const RANDOM_PASSWORD_ATTRIBUTES = new Set([...RANDOM_PASSWORD.arguments, "id", "result", "bcrypt_hash"]);
const TIME_SLEEP_ATTRIBUTES = new Set([...TIME_SLEEP.arguments, "id"]);
const ATTRIBUTE_REFERENCE =
  /(?<![\w.])(data\.)?((?:azurerm|random|time)_\w+)\.[A-Za-z_][\w-]*\.([A-Za-z_]\w*)/g;

/** Every `type.name.attribute` read names an argument or computed attribute of that type. */
export function checkAttributeReferences(files: TfFile[], schema: ProviderSchema): string[] {
  const problems: string[] = [];
  const blocks: [TfBlock, string][] = [
    ...resources(files).map((r): [TfBlock, string] => [r, resourceAddress(r)]),
    ...outputs(files).map((o): [TfBlock, string] => [o, `output.${o.name}`]),
  ];
  const localBlocks = files.flatMap((file) =>
    blockBodies(file.body.locals).map((body): [TfBlock, string] => [
      { file: file.path, type: "locals", name: "locals", body },
      "locals",
    ]),
  );
  for (const [block, address] of [...blocks, ...localBlocks]) {
    for (const [argument, value] of Object.entries(block.body)) {
      for (const inner of interpolations(JSON.stringify(value))) {
        for (const [reference, data, type = "", attribute = ""] of inner.matchAll(ATTRIBUTE_REFERENCE)) {
          const known =
            type === "random_password"
              ? RANDOM_PASSWORD_ATTRIBUTES
              : type === "time_sleep"
                ? TIME_SLEEP_ATTRIBUTES
                : (data ? schema.dataSourceAttributes : schema.resourceAttributes).get(type);
          if (known && !known.has(attribute)) {
            problems.push(
              violation(
                block,
                address,
                argument,
                `${reference} reads "${attribute}", which ${type} does not have`,
              ),
            );
          }
        }
      }
    }
  }
  return problems;
}
