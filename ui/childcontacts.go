package ui

import (
	"image/color"
	"net/url"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"locatiedesk/data"
)

// contactsPanel shows a child's parents and contacts at the top of the card,
// for everyone who opens it: staff on the group's tablet call a parent from
// here, so phone numbers are large buttons that open a tel: link (M3).
type contactsPanel struct {
	box  *fyne.Container
	none *widget.Label
	// openURL opens a tel: or mailto: link; on a desktop without a phone
	// the large number is what counts.
	openURL func(*url.URL) error
	// phones are the phone buttons shown, in the contacts' order.
	phones []*widget.Button
}

func newContactsPanel(openURL func(*url.URL) error) *contactsPanel {
	p := &contactsPanel{openURL: openURL}
	p.none = &widget.Label{Text: lang.L("No parents or contacts recorded."), Importance: widget.WarningImportance}
	p.box = container.NewVBox()
	return p
}

func (p *contactsPanel) buildUI() fyne.CanvasObject {
	title := &widget.Label{Text: lang.L("Parents and contacts"), TextStyle: fyne.TextStyle{Bold: true}}
	return container.NewVBox(title, p.none, p.box)
}

// set shows contacts in the order the family gave them.
func (p *contactsPanel) set(contacts []data.Contact) {
	p.box.Objects, p.phones = nil, nil
	for _, c := range contacts {
		p.box.Add(p.contactRow(c))
	}
	p.none.Hidden = len(contacts) > 0
	p.none.Refresh()
	p.box.Refresh()
}

func (p *contactsPanel) contactRow(c data.Contact) fyne.CanvasObject {
	name := c.Name
	if c.Relation != "" {
		name += " (" + c.Relation + ")"
	}
	who := container.NewVBox(&widget.Label{Text: name, TextStyle: fyne.TextStyle{Bold: true}, Truncation: fyne.TextTruncateEllipsis})
	details := container.NewHBox(mayCollectLabel(c.MayCollect))
	if c.Email != "" {
		mail := &widget.Hyperlink{Text: c.Email, URL: &url.URL{Scheme: "mailto", Opaque: c.Email}}
		mail.OnTapped = func() { p.open(mail.URL) }
		mail.ExtendBaseWidget(mail)
		details.Add(mail)
	}
	who.Add(details)
	if c.Phone == "" {
		return container.NewVBox(who, widget.NewSeparator())
	}
	phone := &widget.Button{Text: c.Phone, Importance: widget.HighImportance}
	phone.OnTapped = func() { p.open(telURL(c.Phone)) }
	p.phones = append(p.phones, phone)
	big := container.NewThemeOverride(touchable(phone, 260), largeText{theme.Current()})
	return container.NewVBox(container.NewBorder(nil, nil, nil, big, who), widget.NewSeparator())
}

func (p *contactsPanel) open(u *url.URL) {
	if err := p.openURL(u); err != nil {
		fyne.LogError("open "+u.Scheme+" link", err)
	}
}

func mayCollectLabel(may bool) *widget.Label {
	if may {
		return &widget.Label{Text: lang.L("may collect the child"), Importance: widget.SuccessImportance}
	}
	return &widget.Label{Text: lang.L("may not collect the child"), Importance: widget.DangerImportance}
}

// telURL is the tel: link of a phone number as people write it
// ("06 - 12 34 56 78", "+31 (0)20 123 4567"): only + and digits dial.
func telURL(phone string) *url.URL {
	phone = strings.ReplaceAll(phone, "(0)", "")
	var b strings.Builder
	for i, r := range phone {
		if r >= '0' && r <= '9' || r == '+' && i == strings.IndexFunc(phone, func(r rune) bool { return r == '+' || r >= '0' && r <= '9' }) {
			b.WriteRune(r)
		}
	}
	return &url.URL{Scheme: "tel", Opaque: b.String()}
}

// largeText is the app's theme with larger text, for what must be read from
// arm's length: a phone number to dial. It holds the theme it enlarges, as
// inside the override theme.Current is the override itself.
type largeText struct{ base fyne.Theme }

func (t largeText) Size(name fyne.ThemeSizeName) float32 {
	size := t.base.Size(name)
	if name == theme.SizeNameText {
		return size * 1.5
	}
	return size
}

func (t largeText) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	return t.base.Color(n, v)
}

func (t largeText) Font(s fyne.TextStyle) fyne.Resource { return t.base.Font(s) }

func (t largeText) Icon(n fyne.ThemeIconName) fyne.Resource { return t.base.Icon(n) }
