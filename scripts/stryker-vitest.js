// Stryker's vitest runner (9.6), with one fix: a mutant that makes a test file's own setup fail (a
// beforeAll at the top of the file, or the file's collection) is killed. Vitest then skips that
// file's tests and marks only the file as failed, which the runner does not read, so it reported
// such mutants as survivors (stryker-js #5492 fixed this for a failing describe only; #6150).
import { strykerPlugins as vitestPlugins } from "@stryker-mutator/vitest-runner";

const vitest = vitestPlugins[0].factory;

function createRunner(injector) {
  const runner = vitest(injector);
  const mutantRun = runner.mutantRun.bind(runner);
  runner.mutantRun = async (options) => {
    const result = await mutantRun(options);
    if (result.status !== "survived") return result;
    const failed = runner.ctx.state.getFiles().find((file) => file.result?.state === "fail");
    if (!failed) return result;
    const why = failed.result.errors?.[0]?.message ?? "its setup failed";
    return { status: "killed", killedBy: [], failureMessage: `${failed.name}: ${why}`, nrOfTests: result.nrOfTests };
  };
  return runner;
}
createRunner.inject = vitest.inject;

// What declareFactoryPlugin(PluginKind.TestRunner, …) of @stryker-mutator/api makes.
export const strykerPlugins = [{ kind: "TestRunner", name: "vitest-setup-failures", factory: createRunner }];
