#!/usr/bin/env node
import { createMain, runProcess } from "../dist/src/cli.js";

await runProcess(createMain);
