export { modelInfoOf, parsePick, runRoutingAgent } from './agent.js';
export type { AgentRun, ModelConfig, StepSink } from './agent.js';
export { NectoGemini } from './geminiModel.js';
export type { GeminiConfig } from './geminiModel.js';
export { OFFLINE_MODEL_NAME, OfflineRouterLlm } from './offlineModel.js';
export { DecisionContext, TOOL_NAMES, createTools } from './tools.js';
