import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePasswd, parseStatusUid } from '../../../../src/local/linux/process-info.js';

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
