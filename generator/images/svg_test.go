package images

import (
	"strings"
	"testing"
)

func TestSVGScript(t *testing.T) {
	const open = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10">`
	refused := []struct{ name, body, want string }{
		{"script", `<script>alert(1)</script>`, "<script>"},
		{"script upper case", `<SCRIPT>alert(1)</SCRIPT>`, "<script>"},
		{"script in namespace", `<svg:script xmlns:svg="http://www.w3.org/2000/svg">alert(1)</svg:script>`, "<script>"},
		{"onload", `<rect onload="alert(1)"/>`, "event attribute onload="},
		{"onclick upper case", `<rect ONCLICK="alert(1)"/>`, "event attribute ONCLICK="},
		{"onbegin on animate", `<animate onbegin="alert(1)"/>`, "event attribute"},
		{"animate to event", `<set attributeName="onmouseover" to="alert(1)"/>`, "animates an event attribute"},
		{"javascript href", `<a href="javascript:alert(1)"><rect/></a>`, "script URL"},
		{"javascript xlink", `<a xlink:href="JavaScript:alert(1)"><rect/></a>`, "script URL"},
		{"javascript with tab", "<a href=\"java\tscript:alert(1)\"><rect/></a>", "script URL"},
		{"javascript entity", `<a href="&#106;avascript:alert(1)"><rect/></a>`, "script URL"},
		{"javascript in animate", `<animate attributeName="href" to="javascript:alert(1)"/>`, "script URL"},
		{"foreignObject", `<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>`, "<foreignObject>"},
		{"iframe", `<iframe src="x"/>`, "<iframe>"},
		{"external use", `<use href="https://evil.example/sprite.svg#a"/>`, "outside itself"},
		{"external image", `<image xlink:href="http://tracker.example/pixel.png"/>`, "outside itself"},
		{"relative image", `<image href="photo.jpg"/>`, "outside itself"},
		{"data html", `<image href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;"/>`, "outside itself"},
		{"css url", `<style>rect { fill: url(https://evil.example/x.svg#p) }</style>`, "url(https://evil.example/x.svg#p"},
		{"css import", `<style>@import "https://evil.example/x.css";</style>`, "@import"},
		{"style attribute url", `<rect style="fill:url('//evil.example/a')"/>`, "outside itself"},
		{"xml-stylesheet", ``, "<?xml-stylesheet?>"},
		{"entity", ``, "declares entities"},
		{"not well-formed", `<rect>`, "not well-formed"},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			doc := open + tt.body + `</svg>`
			switch tt.name {
			case "xml-stylesheet":
				doc = `<?xml-stylesheet href="https://evil.example/a.css"?>` + open + `</svg>`
			case "entity":
				doc = `<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>` + open + `<text>&b;</text></svg>`
			}
			_, err := Inspect([]byte(doc), DefaultLimits)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Inspect(%s) = %v; want an error containing %q", doc, err, tt.want)
			}
		})
	}
	allowed := []string{
		`<rect fill="url(#grad)"/><linearGradient id="grad"/>`,
		`<use href="#a"/><use xlink:href="#b"/>`,
		`<image href="data:image/png;base64,iVBORw0KGgo="/>`,
		`<style>rect { fill: url(#p); stroke: red }</style>`,
		`<text>Drag the url(https://example.org) here: onion, javascript</text>`,
		`<a href="#top"><rect/></a>`,
	}
	for _, body := range allowed {
		if _, err := Inspect([]byte(open+body+`</svg>`), DefaultLimits); err != nil {
			t.Errorf("Inspect(%s) = %v; want it accepted", body, err)
		}
	}
}
