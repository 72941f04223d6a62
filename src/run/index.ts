// The run model: one way to run the requests of a document, for the editor and the CLI.
export { runRequests, runOrder, type RunOptions, type RunOutcome, type ScriptPolicy } from './runner';
export { RunState, requestName, type RequestResult } from './state';
export { evaluateAssert, parseAssert, ASSERT_OPERATORS, type ParsedAssert } from './asserts';
export { Sandbox, SCRIPT_ERRORS, SANDBOX_DEFAULTS, loadQuickJS, type ScriptOutput } from './sandbox/sandbox';
