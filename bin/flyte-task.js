#!/usr/bin/env node
import { flyteTaskMain, runProcess } from "../dist/src/cli.js";

await runProcess(flyteTaskMain);
