// Interception only: the floor of any per-chunk timer (see floor.js).
import { installFloor } from './floor.js';

installFloor({ timeStamps: false });
