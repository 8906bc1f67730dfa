export const DEMO_IMAGE: 'necto/demo:1';
export function demoCommand(seconds?: number, outputs?: string): string[];
