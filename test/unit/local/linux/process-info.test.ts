import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePasswd, parseStatusUid, ProcessReader } from '../../../../src/local/linux/process-info.js';

test('passwd maps uids to the first name listed and skips comments and broken lines', () => {
  const users = parsePasswd('root:x:0:0:root:/root:/bin/bash\n# comment\nbroken\ntoor:x:0:0::/:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n:x:5:5::/:\nbad:x::1::/:\n');
  assert.deepEqual(
    [...users.entries()],
    [
      [0, 'root'],
      [65534, 'nobody'],
    ],
  );
});

test('the effective uid is the second Uid field', () => {
  assert.equal(parseStatusUid('Name:\tx\nUid:\t1000\t0\t0\t0\n'), 0);
  assert.equal(parseStatusUid('Name:\tx\n'), null);
});

test('the Uid line is found wherever it is, and a status without a tab or a Uid yields null', () => {
  const cases: [string, number | null][] = [
    ['Uid:\t5\t7\t7\t7\n', 7],
    ['Name:\tx\nUmask:\t0022\nUid:\t1\t2\t3\t4\nGid:\t0\t0\t0\t0\n', 2],
    ['Name:\tUid:\t9\t9\t9\t9\n', null], // "Uid:" inside the name line is not the Uid line
    ['Name:\tx\nUid: 3 4 5 6\n', 4],
    ['Name:\tx\nUid:\t\n', null],
    ['', null],
  ];
  for (const [status, uid] of cases) assert.equal(parseStatusUid(status), uid, JSON.stringify(status));
});

test('fromFiles: name from status (unescaped, UTF-8 kept, invalid bytes shown), command line from cmdline', () => {
  const r = new ProcessReader(new Map([[0, 'root']]));
  const latin1 = (s: string): string => Buffer.from(s, 'utf8').toString('latin1');
  const cases: [status: string, cmdline: string, name: string, command: string, user: string, uid: number | null][] = [
    ['Name:\tsshd\nUmask:\t0022\nUid:\t0\t0\t0\t0\n', '/usr/sbin/sshd\0-D\0', 'sshd', '/usr/sbin/sshd -D', 'root', 0],
    ['Name:\ta\\nb\\\\c\nUid:\t1000\t1000\t1000\t1000\n', '', 'a\nb\\c', 'a\nb\\c', '1000', 1000],
    [latin1('Name:\tcafé\nUid:\t0\t0\t0\t0\n'), latin1('/bin/café\0'), 'café', '/bin/café', 'root', 0],
    ['Name:\tx\xff\nUid:\t0\t0\t0\t0\n', 'x\xff\0', 'x\\xff', 'x\\xff', 'root', 0],
    ['', '', '', '', '', null], // exited before its files were read: the pid stays, nothing else is known
  ];
  for (const [status, cmdline, name, command, user, uid] of cases) {
    assert.deepEqual(r.fromFiles(42, status, cmdline), { pid: 42, name, command, user, uid }, JSON.stringify(status));
  }
});
