// A compact index of the azurerm provider schema, built from the .jsii assembly that @cdktf/provider-azurerm
// ships (generated from azurerm 4.55). terraform validate needs the provider binary, which cannot be
// downloaded here; the assembly carries the same argument and block names as data.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import type { ValueKind } from "./value-kinds.ts";

/** The arguments and nested blocks one resource, data source or block accepts (snake_case, as in HCL). */
export interface BlockSchema {
  arguments: Set<string>;
  /** Kind of each argument's value. */
  kinds: Map<string, ValueKind>;
  blocks: Map<string, BlockSchema>;
  /** Arguments and blocks the schema requires. */
  required: Set<string>;
}

export interface ProviderSchema {
  provider: BlockSchema;
  resources: Map<string, BlockSchema>;
  dataSources: Map<string, BlockSchema>;
  /** What `type.name.<attribute>` may read, arguments and computed attributes alike, by resource type. */
  resourceAttributes: Map<string, Set<string>>;
  dataSourceAttributes: Map<string, Set<string>>;
}

// Only the parts of the jsii format the index reads.
interface JsiiTypeRef {
  fqn?: string;
  primitive?: string;
  collection?: { kind: string; elementtype: JsiiTypeRef };
  union?: { types: JsiiTypeRef[] };
}
interface JsiiProperty {
  name: string;
  optional?: boolean;
  static?: boolean;
  type: JsiiTypeRef;
  docs?: { summary?: string; remarks?: string };
}
interface JsiiType {
  kind: string;
  datatype?: boolean;
  properties?: JsiiProperty[];
  docs?: { summary?: string };
  initializer?: { parameters?: { name: string; type: JsiiTypeRef }[] };
}

// Each generated property documents its Terraform name: "...kubernetes_cluster#oms_agent KubernetesCluster#oms_agent}".
const TERRAFORM_NAME = /#([a-z0-9_]+) \w+#\1\}/;
// Each generated class documents what it represents: "Represents a {@link https://.../docs/resources/x azurerm_x}."
const REPRESENTS = /^Represents a \{@link \S+\/docs(\/resources|\/data-sources)?(?:\/\S+)? (azurerm\w*)\}/;

function camelToSnake(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

function terraformName(property: JsiiProperty): string {
  const docs = `${property.docs?.summary ?? ""} ${property.docs?.remarks ?? ""}`;
  return TERRAFORM_NAME.exec(docs)?.[1] ?? camelToSnake(property.name);
}

function structFqns(ref: JsiiTypeRef): string[] {
  if (ref.fqn) return [ref.fqn];
  if (ref.collection) return structFqns(ref.collection.elementtype);
  if (ref.union) return ref.union.types.flatMap(structFqns);
  return [];
}

function kindOf(ref: JsiiTypeRef): ValueKind {
  if (ref.primitive === "string" || ref.primitive === "number") return ref.primitive;
  if (ref.primitive === "boolean") return "bool";
  if (ref.collection) return ref.collection.kind === "map" ? "map" : "list";
  const concrete = ref.union?.types.find((type) => type.fqn !== "cdktf.IResolvable");
  return concrete ? kindOf(concrete) : "any";
}

function buildIndex(types: Record<string, JsiiType>): ProviderSchema {
  const cache = new Map<string, BlockSchema>();
  const blockOf = (fqn: string): BlockSchema => {
    const known = cache.get(fqn);
    if (known) return known;
    const schema: BlockSchema = {
      arguments: new Set(),
      kinds: new Map(),
      blocks: new Map(),
      required: new Set(),
    };
    cache.set(fqn, schema);
    for (const property of types[fqn]?.properties ?? []) {
      const name = terraformName(property);
      const nested = structFqns(property.type).find((ref) => types[ref]?.datatype === true);
      if (nested) schema.blocks.set(name, blockOf(nested));
      else {
        schema.arguments.add(name);
        schema.kinds.set(name, kindOf(property.type));
      }
      if (!property.optional) schema.required.add(name);
    }
    return schema;
  };

  const index: ProviderSchema = {
    provider: { arguments: new Set(), kinds: new Map(), blocks: new Map(), required: new Set() },
    resources: new Map(),
    dataSources: new Map(),
    resourceAttributes: new Map(),
    dataSourceAttributes: new Map(),
  };
  // The generated class has a getter per readable attribute, plus "<name>Input" getters for arguments.
  const attributesOf = (type: JsiiType) =>
    new Set(
      (type.properties ?? [])
        .filter((p) => !p.static && !p.name.endsWith("Input"))
        .map((p) => camelToSnake(p.name)),
    );
  for (const type of Object.values(types)) {
    if (type.kind !== "class") continue;
    const represents = REPRESENTS.exec(type.docs?.summary ?? "");
    const config = type.initializer?.parameters?.find((p) => p.name === "config")?.type.fqn;
    if (!represents || !config) continue;
    const [, section, terraformType] = represents;
    if (!terraformType) continue;
    if (section === "/resources") {
      index.resources.set(terraformType, blockOf(config));
      index.resourceAttributes.set(terraformType, attributesOf(type));
    } else if (section === "/data-sources") {
      index.dataSources.set(terraformType, blockOf(config));
      index.dataSourceAttributes.set(terraformType, attributesOf(type));
    } else {
      index.provider = blockOf(config);
    }
  }
  return index;
}

/** Reads the assembly (about 85 MB) once and keeps only names: load it once per test file. */
export async function loadAzurermSchema(): Promise<ProviderSchema> {
  const require = createRequire(import.meta.url);
  const packageDir = path.dirname(require.resolve("@cdktf/provider-azurerm/package.json"));
  const assembly: { types: Record<string, JsiiType> } = JSON.parse(
    await readFile(path.join(packageDir, ".jsii"), "utf8"),
  );
  return buildIndex(assembly.types);
}
