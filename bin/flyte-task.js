#!/usr/bin/env node
import { flyteTaskMain, runProcess } from "../dist/cli/cli.js";

await runProcess(flyteTaskMain);
