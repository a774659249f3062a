// The wiring `terraform validate` would check, without providers: module calls pass only declared
// variables and every required one; every var., local., module., data. and resource reference names
// something declared in the same directory (or an output of the called module).
import {
  blockBodies,
  dataSources,
  dirOf,
  type HclBody,
  localsOf,
  moduleCalls,
  moduleDirOf,
  outputs,
  providers,
  resources,
  type TfBlock,
  type TfFile,
  variables,
  violation,
} from "./tf-tree.ts";
import { kindOfTypeConstraint, literalFits } from "./value-kinds.ts";

const MODULE_META_ARGUMENTS = new Set(["source", "version", "providers", "count", "for_each", "depends_on"]);

/** The text of every "${...}" interpolation in an expression, nested braces included. */
export function interpolations(text: string): string[] {
  const found: string[] = [];
  let start = text.indexOf("${");
  while (start !== -1) {
    let depth = 0;
    let end = start + 1;
    for (; end < text.length; end++) {
      if (text[end] === "{") depth++;
      else if (text[end] === "}" && --depth === 0) break;
    }
    found.push(text.slice(start + 2, end));
    start = text.indexOf("${", end);
  }
  return found;
}

interface Scope {
  variables: Set<string>;
  locals: Set<string>;
  modules: Map<string, Set<string>>;
  resources: Set<string>;
  data: Set<string>;
}

function scopeOf(files: TfFile[], dir: string): Scope {
  const inDir = (block: TfBlock) => dirOf(block) === dir;
  const outputsOf = (moduleDir: string) =>
    new Set(
      outputs(files)
        .filter((o) => dirOf(o) === moduleDir)
        .map((o) => o.name),
    );
  return {
    variables: new Set(
      variables(files)
        .filter(inDir)
        .map((v) => v.name),
    ),
    locals: new Set(Object.keys(localsOf(files, dir))),
    modules: new Map(
      moduleCalls(files)
        .filter(inDir)
        .map((call) => [call.name, outputsOf(moduleDirOf(call))]),
    ),
    resources: new Set(
      resources(files)
        .filter(inDir)
        .map((r) => `${r.type}.${r.name}`),
    ),
    data: new Set(
      dataSources(files)
        .filter(inDir)
        .map((d) => `${d.type}.${d.name}`),
    ),
  };
}

const NAME = "[A-Za-z_][\\w-]*";
const REFERENCE = new RegExp(
  `(?<![\\w.])(?:(var|local)\\.(${NAME})|module\\.(${NAME})(?:\\.(${NAME}))?|data\\.(${NAME}\\.${NAME})|((?:azurerm|random|time)_\\w+\\.${NAME}))`,
  "g",
);

/** Each reference in the expression's interpolations that does not resolve, with why. */
function unresolved(expression: string, scope: Scope, dir: string): [string, string][] {
  const problems: [string, string][] = [];
  for (const inner of interpolations(expression)) {
    for (const [whole, kind, name, moduleName, output, data, resource] of inner.matchAll(REFERENCE)) {
      if (kind === "var" && name && !scope.variables.has(name))
        problems.push([whole, `no variable "${name}" in ${dir}`]);
      if (kind === "local" && name && !scope.locals.has(name))
        problems.push([whole, `no local "${name}" in ${dir}`]);
      if (moduleName) {
        const moduleOutputs = scope.modules.get(moduleName);
        if (!moduleOutputs) problems.push([whole, `no module "${moduleName}" in ${dir}`]);
        else if (output && !moduleOutputs.has(output))
          problems.push([whole, `module "${moduleName}" has no output "${output}"`]);
      }
      if (data && !scope.data.has(data)) problems.push([whole, `no data source ${data} in ${dir}`]);
      if (resource && !scope.resources.has(resource))
        problems.push([whole, `no resource ${resource} in ${dir}`]);
    }
  }
  return problems;
}

function referencing(
  block: { file: string },
  address: string,
  body: HclBody,
  scope: Scope,
  dir: string,
): string[] {
  return Object.entries(body).flatMap(([argument, value]) =>
    unresolved(JSON.stringify(value), scope, dir).map(([reference, why]) =>
      violation(block, address, argument, `${reference} does not resolve (${why})`),
    ),
  );
}

function moduleCallProblems(files: TfFile[], call: TfBlock): string[] {
  const moduleDir = moduleDirOf(call);
  const declared = variables(files).filter((v) => dirOf(v) === moduleDir);
  if (declared.length === 0 && !files.some((f) => dirOf(f) === moduleDir)) {
    return [violation(call, `module.${call.name}`, "source", `${String(call.body.source)} has no .tf files`)];
  }
  const byName = new Map(declared.map((v) => [v.name, v]));
  const problems: string[] = [];
  for (const [input, value] of Object.entries(call.body)) {
    if (MODULE_META_ARGUMENTS.has(input)) continue;
    const variable = byName.get(input);
    const kind = kindOfTypeConstraint(variable?.body.type);
    if (!variable)
      problems.push(violation(call, `module.${call.name}`, input, `not a variable of ${moduleDir}`));
    else if (!literalFits(value, kind)) {
      problems.push(
        violation(
          call,
          `module.${call.name}`,
          input,
          `is ${JSON.stringify(value)}, but ${moduleDir} declares a ${kind}`,
        ),
      );
    }
  }
  for (const variable of declared) {
    if (!("default" in variable.body) && !(variable.name in call.body)) {
      problems.push(
        violation(
          call,
          `module.${call.name}`,
          variable.name,
          `required by ${moduleDir} (no default) but not passed`,
        ),
      );
    }
  }
  return problems;
}

/** Unresolvable references and mismatched module inputs, each as "file: address: argument: problem". */
export function checkReferences(files: TfFile[]): string[] {
  const scopes = new Map<string, Scope>();
  const scope = (dir: string) => {
    const known = scopes.get(dir) ?? scopeOf(files, dir);
    scopes.set(dir, known);
    return known;
  };
  const problems: string[] = [];
  const blocks: [TfBlock, string][] = [
    ...resources(files).map((r): [TfBlock, string] => [r, `${r.type}.${r.name}`]),
    ...dataSources(files).map((d): [TfBlock, string] => [d, `data.${d.type}.${d.name}`]),
    ...outputs(files).map((o): [TfBlock, string] => [o, `output.${o.name}`]),
    ...variables(files).map((v): [TfBlock, string] => [v, `variable.${v.name}`]),
    ...moduleCalls(files).map((m): [TfBlock, string] => [m, `module.${m.name}`]),
    ...providers(files).map((p): [TfBlock, string] => [p, `provider.${p.type}`]),
  ];
  for (const [block, address] of blocks)
    problems.push(...referencing(block, address, block.body, scope(dirOf(block)), dirOf(block)));
  for (const file of files) {
    for (const locals of blockBodies(file.body.locals)) {
      problems.push(...referencing({ file: file.path }, "locals", locals, scope(dirOf(file)), dirOf(file)));
    }
  }
  for (const call of moduleCalls(files)) problems.push(...moduleCallProblems(files, call));
  for (const variable of variables(files)) {
    const kind = kindOfTypeConstraint(variable.body.type);
    if ("default" in variable.body && !literalFits(variable.body.default, kind)) {
      problems.push(
        violation(
          variable,
          `variable.${variable.name}`,
          "default",
          `is ${JSON.stringify(variable.body.default)}, but the type is a ${kind}`,
        ),
      );
    }
  }
  return problems;
}
