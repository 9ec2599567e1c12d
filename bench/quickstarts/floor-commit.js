// Interception, one stored timestamp and one DOM-commit check per message (see floor.js).
import { installFloor } from './floor.js';

installFloor({ timeStamps: true, commits: true });
