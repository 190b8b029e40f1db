/** Firewall rulesets: read (nft JSON, iptables-save), evaluated for a new inbound connection, predicted. */
export type { Action, Backend, Chain, Match, RejectKind, Rule, RuleRef, Ruleset } from './types.js';
export { RulesetError } from './errors.js';
export { parseNftJson } from './nft-json.js';
export { parseIptablesSave } from './iptables-save.js';
export { parseRulesetText, mergeRulesets } from './detect.js';
export { Evaluator, localAddressTest, type Decision, type Verdict, type EvaluatorOptions } from './evaluate.js';
export type { Packet } from './match.js';
export { predictState, type Prediction, type PredictedState } from './predict.js';
export { addrToBig } from './values.js';
export { annotateUfw } from './ufw.js';
export { findShadowedRules, findStaleAccepts, type ShadowedRule, type StaleAccept } from './analyze.js';
export { CLOSE_TABLE, closeTableScript, readClosedPorts, withPort, type ClosedPorts } from './close-table.js';
export { firewalldManages, firewalldZonesAllowing } from './firewalld.js';
