// The .http language: parse (text → HttpDocument) and resolve (block → ResolvedRequest). No vscode import.
export * from './types';
export { projectRoot } from './environments';
export { parseHttp, parseTimeout } from './parser';
export { KNOWN_METHODS } from './syntax';
export { resolveRequest, type ResolveContext, type ResolveResult } from './resolve';
export { makeResolver, type PromptRequest } from './resolve';
export { VariableResolver, type Lookup } from './variables';
export { isSecretName } from './secrets';
export {
  loadEnvironments,
  environmentsFrom,
  loadDotenv,
  parseDotenv,
  SHARED,
  ENV_FILE,
  PRIVATE_ENV_FILE,
  type Environments,
  type EnvVariable,
  type EnvironmentTable,
} from './environments';
export { SYSTEM_VARIABLES, systemVariable, isKnownSystemVariable, formatDate } from './system';
export { parseRequestVariable, readRequestVariable, type RequestVariableRef } from './requestVariables';
export { documentToJson, type ParsedDocumentJson, type ParsedRequestJson } from './json';
export { httpFences, parseMarkdownHttp, type Fence } from './markdown';
export { blockAt, referenceAt, namedRequest, completionContext, checkVariables, type CompletionContext, type KnownVariables } from './editing';
export { sendOrder, requestDependencies } from './sendOrder';
export { loadImports, referencePlan, type LocatedBlock, type LocatedDocument } from './imports';
export { handleResponseFiles, type AfterResponse } from './responseFiles';
export { blockingDiagnostics } from './resolve';
