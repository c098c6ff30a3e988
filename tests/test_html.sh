#!/bin/sh
# The HTML page of examples/seed-fr.txt, in a real headless Chromium.
#
# A copy of the page gets a probe script that reads what the page shows
# (the legend's counts, the marks, the panel after keyboard focus and after
# hovering) into a hidden <pre>; Chromium's --dump-dom prints the DOM after
# the scripts ran, and the probe's lines are checked here.  A screenshot is
# kept, with the panel of « Mao Ning » open, for a person to look at.
#
# Skipped (exit 77) when Chromium is not installed.
set -u

builddir=${abs_top_builddir:-$(pwd)}
srcdir=${abs_top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
nertag="$builddir/src/nertag"

chromium=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chromium" ]; then
    echo "SKIP: chromium is not installed"
    exit 77
fi

work=$(mktemp -d /tmp/nertag-html-XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$builddir/tests"
shot="$builddir/tests/html-seed-fr.png"

failures=0
fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
}

# Runs headless Chromium with everything that would reach the network off.
# The first argument names a fresh profile folder.
browse() {
    profile="$work/profile-$1"
    shift
    timeout 120 "$chromium" --headless --no-sandbox --disable-gpu \
        --disable-quic --no-first-run --disable-background-networking \
        --disable-component-update --disable-sync \
        --user-data-dir="$profile" --window-size=1280,900 "$@" \
        2>>"$work/chromium.log"
}

# ---------------------------------------------------------------- the page

"$nertag" --output html "$srcdir/examples/seed-fr.txt" >"$work/page.html"
status=$?
[ "$status" -eq 0 ] || fail "nertag --output html exited with $status"

# standalone: nothing is loaded from anywhere
if grep -Eiq '(src|href)=|@import|url\(' "$work/page.html"; then
    fail "the page refers to outside resources"
fi
grep -q '<style>' "$work/page.html" || fail "no inline style"
grep -q '<script>' "$work/page.html" || fail "no inline script"

# ---------------------------------------------------------------- the probe

cat >"$work/probe.js" <<'EOF'
<script>
(function () {
  var out = [];
  function say(s) { out.push(s); }
  var marks = Array.prototype.slice.call(document.querySelectorAll('mark.m'));
  var panel = document.getElementById('panel');
  function shown() {
    return !panel.hidden && getComputedStyle(panel).display !== 'none';
  }
  function panelText() {
    if (!shown()) return 'hidden';
    var parts = [panel.querySelector('.ptype').textContent], key = null,
        vals = [];
    Array.prototype.forEach.call(panel.querySelector('dl').children,
      function (e) {
        if (e.tagName === 'DT') {
          if (key) parts.push(key + '=' + vals.join(' | '));
          key = e.textContent;
          vals = [];
        } else {
          vals.push(e.textContent);
        }
      });
    if (key) parts.push(key + '=' + vals.join(' | '));
    return parts.join('; ');
  }
  /* Headless Chromium does not always give the window the system focus
     (it loses it under load); without it, focus() and blur() move
     document.activeElement but send no focusin or focusout.  The probe then
     sends the event the browser would have sent, so that the page's own
     handlers are what is checked either way. */
  function focusOn(m) {
    m.focus();
    if (!document.hasFocus())
      m.dispatchEvent(new FocusEvent('focusin', { bubbles: true }));
  }
  function blurOff(m) {
    m.blur();
    if (!document.hasFocus())
      m.dispatchEvent(new FocusEvent('focusout', { bubbles: true }));
  }
  function find(text) {
    return marks.filter(function (m) { return m.textContent === text; })[0];
  }
  Array.prototype.forEach.call(document.querySelectorAll('#legend li'),
    function (li) {
      var t = li.getAttribute('data-type');
      say('legend ' + t + ' ' + li.querySelector('.count').textContent +
          ' marks ' + document.querySelectorAll('mark.t-' + t).length);
    });
  say('marks ' + marks.length + ' focusable ' +
      marks.filter(function (m) { return m.tabIndex === 0; }).length);
  say('label ' + getComputedStyle(find('Mao Ning'), '::after').content +
      ' ' + getComputedStyle(find('Pékin'), '::after').backgroundColor);
  say('initially ' + panelText());
  var mao = find('Mao Ning');
  focusOn(mao);
  say('focus active ' + (document.activeElement === mao));
  say('focus panel ' + panelText());
  var r = mao.getBoundingClientRect(), p = panel.getBoundingClientRect();
  say('panel next to the mention ' +
      (p.top >= r.bottom && p.top - r.bottom < 20 && p.right <= innerWidth));
  blurOff(mao);
  say('blur panel ' + panelText());
  var pekin = find('Pékin');
  pekin.dispatchEvent(new MouseEvent('mouseover', { bubbles: true }));
  say('hover panel ' + panelText());
  pekin.dispatchEvent(new MouseEvent('mouseout', { bubbles: true }));
  say('leave panel ' + panelText());
  focusOn(mao);
  document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
  say('escape panel ' + panelText());
  /* the screenshot shows the panel of Mao Ning */
  blurOff(mao);
  focusOn(mao);
  var pre = document.createElement('pre');
  pre.id = 'probe';
  pre.hidden = true;
  pre.textContent = '\n' + out.join('\n') + '\n';
  document.body.appendChild(pre);
})();
</script>
EOF
sed -e '/^<\/body>$/{r '"$work/probe.js" -e 'd}' "$work/page.html" \
    >"$work/probe.html"
echo '</body></html>' >>"$work/probe.html"

browse dom --dump-dom "file://$work/probe.html" >"$work/dom.html"
# the probe's lines, entities decoded
sed -n '/<pre id="probe"/,/<\/pre>/p' "$work/dom.html" |
    sed -e 's/&lt;/</g; s/&gt;/>/g; s/&quot;/"/g; s/&#39;/'"'"'/g' \
        -e 's/&amp;/\&/g' >"$work/probe.txt"
echo "--- what the page shows"
cat "$work/probe.txt"
echo "---"
[ -s "$work/probe.txt" ] || fail "no probe output (see $work/chromium.log)"

expect() {
    grep -Fxq -- "$1" "$work/probe.txt" || fail "page does not show: $1"
}
expect_match() {
    grep -Eq -- "$1" "$work/probe.txt" || fail "page does not show: $1"
}

# the gold of seed-fr: 12 STATE, 5 ORG, 6 GROUP, 2 SPOKESPERSON, 1 LOC
expect "legend STATE 12 marks 12"
expect "legend ORG 5 marks 5"
expect "legend GROUP 6 marks 6"
expect "legend SPOKESPERSON 2 marks 2"
expect "legend PERSON 0 marks 0"
expect "legend LOC 1 marks 1"
expect "marks 26 focusable 26"
# the type beside each mention, in the colour of its type
expect 'label "SPOKESPERSON" rgb(29, 95, 209)'
expect "initially hidden"
expect "focus active true"
expect_match "^focus panel SPOKESPERSON; canonical=Mao Ning; id=person:mao-ning; for=Ministry of Foreign Affairs \(China\); source=rule porte-parole-avant \(models/fr\.rules:[0-9]+\) \| gazetteer gazetteers/people\.tsv:[0-9]+$"
expect "panel next to the mention true"
expect "blur panel hidden"
expect_match "^hover panel STATE; canonical=China; id=CN; source=rule capitale-pour-le-compte \(models/fr\.rules:[0-9]+\) \| gazetteer gazetteers/states\.tsv:[0-9]+$"
expect "leave panel hidden"
expect "escape panel hidden"

# ---------------------------------------------------------------- picture

rm -f "$shot"
browse shot --screenshot="$shot" "file://$work/probe.html" >/dev/null
if [ -s "$shot" ] && [ "$(wc -c <"$shot")" -gt 20000 ]; then
    echo "screenshot: $shot"
else
    fail "no screenshot at $shot"
fi

if [ "$failures" -ne 0 ]; then
    echo "$failures failed"
    cat "$work/chromium.log" | tail -20
    exit 1
fi
exit 0
