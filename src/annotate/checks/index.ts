// Loads every check module (each registers its checks) and re-exports the registry.
import './general';
import './content';
import './caching';
import './security';
import './request';
import './fields';
import './semantics';
import './http2';

export { allChecks, checkInfo, runChecks, type CheckDef, type CheckInfo, type CheckScope, type CheckCategory } from './registry';
export { CheckContext } from './context';
export { computeFreshness, formatSeconds, type Freshness } from './caching';
