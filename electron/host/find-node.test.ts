import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findNode } from './find-node.ts';

function fakeNode(dir = mkdtempSync(join(tmpdir(), 'lab-node-'))): string {
  const file = join(dir, 'node');
  writeFileSync(file, '#!/bin/sh\n');
  chmodSync(file, 0o755);
  return file;
}

describe('findNode', () => {
  it('prefers LAB_NODE_PATH, then npm_node_execpath, then node on PATH', () => {
    const [lab, npm, onPath] = [fakeNode(), fakeNode(), fakeNode()];
    const PATH = join(onPath, '..');
    expect(findNode({ LAB_NODE_PATH: lab, npm_node_execpath: npm, PATH }, 'linux')).toBe(lab);
    expect(findNode({ npm_node_execpath: npm, PATH }, 'linux')).toBe(npm);
    expect(findNode({ PATH: `/nonexistent:${PATH}` }, 'linux')).toBe(onPath);
  });

  it('skips a named executable that is not there or cannot run', () => {
    const notExecutable = join(mkdtempSync(join(tmpdir(), 'lab-node-')), 'node');
    writeFileSync(notExecutable, '');
    const onPath = fakeNode();
    expect(findNode({ LAB_NODE_PATH: '/nonexistent/node', npm_node_execpath: notExecutable, PATH: join(onPath, '..') }, 'linux')).toBe(onPath);
  });

  it('finds nothing when there is no Node at all', () => {
    expect(findNode({ PATH: '/nonexistent' }, 'linux')).toBeUndefined();
  });
});
