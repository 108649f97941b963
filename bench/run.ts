/**
 * Runs the benchmarks one after another (each prints its own figures and ratios):
 *
 *   npm run bench                  # all of them
 *   npm run bench -- wallet login  # some of them
 */
const ALL = ["wallet", "callbacks", "mailbox", "login", "rolling", "promotion-settlement"];
const chosen = process.argv.slice(2);
const unknown = chosen.filter((name) => !ALL.includes(name));
if (unknown.length > 0) {
  console.error(`unknown bench ${unknown.join(", ")}; choose from ${ALL.join(", ")}`);
  process.exit(2);
}
for (const name of chosen.length > 0 ? chosen : ALL) {
  console.log(`\n=== bench/${name}.ts`);
  const child = Bun.spawn([process.execPath, `${import.meta.dir}/${name}.ts`], { stdout: "inherit", stderr: "inherit", env: process.env });
  const code = await child.exited;
  if (code !== 0) {
    console.error(`bench/${name}.ts exited with ${code}`);
    process.exit(code);
  }
}
