// Interception plus one stored timestamp per message (see floor.js).
import { installFloor } from './floor.js';

installFloor({ timeStamps: true });
