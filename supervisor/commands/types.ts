import type { Config } from "../../config/index.ts";

export type CommandContext = {
  config: Config;
  args: string[];
  flags: Record<string, string | boolean>;
  out: (line: string) => void;
};

export type Command = {
  name: string;
  summary: string;
  usage: string;
  run(ctx: CommandContext): Promise<number>;
};
