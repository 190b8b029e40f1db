/**
 * Run inside a network namespace for `listening --netns` (local/linux/netns.ts starts it with
 * `ip netns exec NAME node listening-netns-reader.js [auto|proc]`): prints the namespace's LinuxView and
 * interface table as one JSON document. It lives in api/ because it loads the native addon (sock_diag):
 * the netlink socket is opened in this process, hence in the namespace, and dumps that namespace's sockets.
 */
import { networkInterfaces } from 'node:os';
import { readLinuxView } from '../local/linux/read.js';
import { sockDiagSource } from './listening-source.js';

const view = readLinuxView(process.argv[2] === 'proc' ? {} : { source: sockDiagSource });
process.stdout.write(JSON.stringify({ ...view, interfaces: networkInterfaces() }));
