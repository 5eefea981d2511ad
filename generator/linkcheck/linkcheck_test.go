package linkcheck

import "testing"

func TestCheck(t *testing.T) {
	files := map[string][]byte{
		"index.html":       []byte(`<a href="/a/">ok</a><a href="/a/#x">anchor</a><a href="/a/#nope">bad anchor</a><a href="/missing/">missing</a><a href="https://elsewhere.org/">ext</a><img src="/img.png"><a href="#top">self</a><p id="top"></p>`),
		"a/index.html":     []byte(`<h2 id="x">X</h2><a href="../">up</a><a href="../../">escape</a>`),
		"sitemap.xml":      []byte(`<urlset><url><loc>https://example.org/a/</loc></url><url><loc>https://example.org/gone/</loc></url></urlset>`),
		"other/index.html": []byte(`<a href="/sub/x">outside base</a>`),
	}
	got := Check(files, "/", "https://example.org")
	want := []string{
		"a/index.html: ../../ (outside the site)",
		`index.html: /a/#nope (no element with id "nope" on a/index.html)`,
		"index.html: /img.png (no such file in the output)",
		"index.html: /missing/ (no such file in the output)",
		"other/index.html: /sub/x (no such file in the output)",
		"sitemap.xml: https://example.org/gone/ (no such file in the output)",
	}
	if len(got) != len(want) {
		t.Fatalf("got %d problems %v", len(got), got)
	}
	for i := range want {
		if got[i].String() != want[i] {
			t.Errorf("problem %d = %q, want %q", i, got[i], want[i])
		}
	}
}
