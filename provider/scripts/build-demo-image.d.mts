// Types of build-demo-image.mjs for the TypeScript tests, the stack and the benchmark.
export declare const DEMO_IMAGE: string;
export declare function demoCommand(seconds?: number, outputs?: string): string[];
export declare function buildDemoImage(opts?: { podmanArgs?: string[]; tag?: string; quiet?: boolean }): {
  image: string;
  id: string;
  built: boolean;
};
