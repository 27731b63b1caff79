#!/usr/bin/env node
import { createMain, runProcess } from "../dist/cli/cli.js";

await runProcess(createMain);
