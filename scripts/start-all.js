#!/usr/bin/env node
// `npm start`: runs the API and the worker as two processes (as a deployment would) under one
// command. Signals are forwarded; if either process dies, the other is stopped and the exit code kept.
'use strict';
const { spawn } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const apps = {
  api: path.join(root, 'dist/apps/api/apps/api/src/main.js'),
  worker: path.join(root, 'dist/apps/worker/apps/worker/src/main.js'),
};

const children = new Map();
let stopping = false;
let exitCode = 0;

for (const [name, file] of Object.entries(apps)) {
  const child = spawn(process.execPath, [file], { stdio: 'inherit', env: process.env });
  children.set(name, child);
  child.on('exit', (code, signal) => {
    children.delete(name);
    if (!stopping) {
      console.error(`[start] ${name} 已退出（${signal ?? code}），正在停止其余进程`);
      exitCode = code || 1;
      stop('SIGTERM');
    }
    if (children.size === 0) process.exit(exitCode);
  });
}

function stop(signal) {
  stopping = true;
  for (const child of children.values()) child.kill(signal);
  setTimeout(() => {
    for (const child of children.values()) child.kill('SIGKILL');
  }, 15000).unref();
}

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => stop(signal));
