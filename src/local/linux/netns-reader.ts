/**
 * Run inside a network namespace by netns.ts (`ip netns exec NAME node netns-reader.js`): prints the
 * namespace's LinuxView and interface table as one JSON document on stdout.
 */
import { networkInterfaces } from 'node:os';
import { readLinuxView } from './read.js';

process.stdout.write(JSON.stringify({ ...readLinuxView(), interfaces: networkInterfaces() }));
