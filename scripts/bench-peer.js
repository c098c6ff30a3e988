// Times a peer tagger from the npm registry on the documents that the
// benchmark wrote (DIR/NAME.docs, separated by form feeds), and prints
// "NAME MB MB/s".  usage: node bench-peer.js MODULE FILE...
'use strict';
const fs = require('fs');
const path = require('path');
const loaded = require(process.argv[2]);
const nlp = typeof loaded === 'function' ? loaded : loaded.default;
for (const file of process.argv.slice(3)) {
    const docs = fs.readFileSync(file, 'utf8').split('\f\n')
        .filter((d) => d.length > 0);
    const bytes = docs.reduce((n, d) => n + Buffer.byteLength(d), 0);
    let best = Infinity;
    let mentions = 0;
    for (let run = 0; run < 2; run++) {
        const start = process.hrtime.bigint();
        mentions = 0;
        for (const d of docs) {
            const doc = nlp(d);
            mentions += doc.people().length + doc.places().length +
                doc.organizations().length;
        }
        const s = Number(process.hrtime.bigint() - start) / 1e9;
        best = Math.min(best, s);
    }
    const mb = bytes / 1e6;
    console.log(`${path.basename(file, '.docs')} ${mb.toFixed(2)} ` +
        `${(mb / best).toFixed(3)} ${mentions}`);
}
