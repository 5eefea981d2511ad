package urls

import "testing"

func TestScheme(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{Dossier("pact"), "dossiers/pact/"},
		{Actor("kim-jong-un"), "actors/kim-jong-un/"},
		{Treaty("t-2024"), "treaties/t-2024/"},
		{Quote("pact", "putin-2024-06-19"), "quotes/pact/putin-2024-06-19/"},
		{Tag("sanctions"), "tags/sanctions/"},
		{ActorTimeline("russia"), "timeline/russia/"},
		{Attachment("pact", "map.png"), "dossiers/pact/map.png"},
		{Entity("actor", "x"), "actors/x/"},
		{Entity("quote", "x"), ""},
		{Key("treaty/x"), "treaties/x/"},
		{Key("dossier/x"), "dossiers/x/"},
		{Page(Home, 1), ""},
		{Page(Home, 2), "page/2/"},
		{Page(Tag("a"), 3), "tags/a/page/3/"},
		{File(Dossier("x")), "dossiers/x/index.html"},
		{File(Home), "index.html"},
		{File(NotFound), "404.html"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}
