// npm run docs:terraform: rewrites terraform/modules/*/README.md from the modules' .tf files.
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { renderModuleReadme } from "./module-docs.ts";
import { dirOf, loadTfTree, ROOT } from "./tf-tree.ts";

const files = await loadTfTree();
const moduleDirs = [
  ...new Set(files.map((f) => dirOf(f)).filter((dir) => dir.startsWith("terraform/modules/"))),
];
const repository = path.dirname(ROOT);
for (const dir of moduleDirs) {
  const mainTf = await readFile(path.join(repository, dir, "main.tf"), "utf8");
  await writeFile(path.join(repository, dir, "README.md"), renderModuleReadme(files, dir, mainTf));
  console.log(`wrote ${dir}/README.md`);
}
