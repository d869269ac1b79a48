package ui

import (
	"errors"
	"image/color"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"locatiedesk/data"
)

// Connection is the link of a tablet to the location's computer, as the
// offline outbox (package hub/outbox) reports it: whether the hub answers,
// what the tablet keeps to send, and what the hub refused when it was sent.
type Connection interface {
	Online() bool
	Pending() int
	Refused() []data.RefusedAction
	Dismiss(id uint64) error
	// SignInNeeded names the people who must sign in again before the hub
	// takes their work (their kept actions wait for them).
	SignInNeeded() []string
	// OnChange calls fn, on any goroutine, when any of the above changes.
	OnChange(fn func()) (cancel func())
}

// FollowConnection shows, above every screen, a banner that cannot be
// missed while the tablet works without the location's computer or has
// kept actions to send, and the actions the hub refused (D2). Call it once,
// on the UI goroutine, before the window shows.
func (sh *Shell) FollowConnection(c Connection) {
	sh.connection = newConnectionBanner(c, sh.window)
	sh.connection.stop = c.OnChange(func() { fyne.Do(sh.connection.update) })
	sh.connection.update()
	if content := sh.window.Content(); content != nil {
		sh.setContent(content)
	}
}

// setContent shows a screen below the connection banner, if any.
func (sh *Shell) setContent(screen fyne.CanvasObject) {
	if sh.connection == nil {
		sh.window.SetContent(screen)
		return
	}
	sh.window.SetContent(container.NewBorder(sh.connection.object, nil, nil, nil, screen))
}

// connectionBanner is the strip at the top of the window.
type connectionBanner struct {
	conn   Connection
	window fyne.Window
	object *fyne.Container
	text   *widget.Label
	// refusedButton opens the list of what the hub refused.
	refusedButton *widget.Button
	refusedBox    fyne.CanvasObject
	refusedList   *dialog.CustomDialog
	refusedRows   *fyne.Container
	stop          func()
}

// bannerColour is dark red under white text, the same in the light and the
// dark theme: loud on purpose, and readable in a sunny group room.
var bannerColour = color.NRGBA{R: 0xa3, G: 0x1a, B: 0x1a, A: 0xff}

// bannerTheme writes white on the banner.
type bannerTheme struct{ fyne.Theme }

func (t bannerTheme) Color(name fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if name == theme.ColorNameForeground {
		return color.White
	}
	return t.Theme.Color(name, v)
}

func newConnectionBanner(c Connection, w fyne.Window) *connectionBanner {
	b := &connectionBanner{conn: c, window: w}
	b.text = &widget.Label{Wrapping: fyne.TextWrapWord, TextStyle: fyne.TextStyle{Bold: true}, SizeName: theme.SizeNameSubHeadingText}
	b.refusedButton, b.refusedBox = newTouchButton(lang.L("Show"), theme.WarningIcon(), b.showRefused)
	b.refusedButton.Importance = widget.HighImportance
	strip := container.NewPadded(container.NewBorder(nil, nil, nil, b.refusedBox, b.text))
	b.object = container.NewStack(canvas.NewRectangle(bannerColour),
		container.NewThemeOverride(strip, bannerTheme{fyne.CurrentApp().Settings().Theme()}))
	return b
}

// bannerText is what the banner says, "" when all is well.
func bannerText(online bool, pending, refused int, signIn []string) string {
	var lines []string
	switch {
	case !online && pending == 0:
		lines = append(lines, lang.L("No connection to the location's computer — check-ins are kept on this tablet"))
	case !online:
		lines = append(lines, lang.N("No connection to the location's computer — check-ins are kept on this tablet ({{.Count}} waiting)", pending, map[string]any{"Count": pending}))
	case pending > 0:
		lines = append(lines, lang.N("Sending what this tablet kept to the location's computer ({{.Count}} waiting)", pending, map[string]any{"Count": pending}))
	}
	if len(signIn) > 0 {
		lines = append(lines, lang.L("{{.Names}}: sign out and sign in again, so that the location's computer knows you", map[string]any{"Names": strings.Join(signIn, ", ")}))
	}
	if refused > 0 {
		lines = append(lines, lang.N("The location's computer did not accept {{.Count}} action made on this tablet without connection", refused, map[string]any{"Count": refused}))
	}
	return strings.Join(lines, "\n")
}

func (b *connectionBanner) update() {
	refused := b.conn.Refused()
	text := bannerText(b.conn.Online(), b.conn.Pending(), len(refused), b.conn.SignInNeeded())
	b.text.SetText(text)
	b.text.Hidden = text == ""
	if len(refused) == 0 {
		b.refusedBox.Hide()
	} else {
		b.refusedBox.Show()
	}
	b.object.Hidden = text == ""
	b.object.Refresh()
	if b.refusedList != nil {
		if len(refused) == 0 {
			b.refusedList.Hide()
			return
		}
		b.fillRefused(refused)
	}
}

// showRefused lists what the hub refused, each with the hub's reason, for
// the person to read and dismiss.
func (b *connectionBanner) showRefused() {
	rows := container.NewVBox()
	b.refusedRows = rows
	b.fillRefused(b.conn.Refused())
	intro := &widget.Label{Wrapping: fyne.TextWrapWord, Text: lang.L("The location's computer did not accept these actions made on this tablet without connection. Check the list and enter them again where needed.")}
	content := container.NewBorder(intro, nil, nil, nil, container.NewVScroll(rows))
	d := dialog.NewCustom(lang.L("Not accepted"), lang.L("Close"), content, b.window)
	size := b.window.Canvas().Size()
	d.Resize(fyne.NewSize(min(size.Width-16, 760), min(size.Height-24, 640)))
	b.refusedList = d
	showDialogThen(b.window, d, d.Hide, nil, func() {
		if b.refusedList == d {
			b.refusedList = nil
		}
	})
}

func (b *connectionBanner) fillRefused(refused []data.RefusedAction) {
	b.refusedRows.RemoveAll()
	for _, r := range refused {
		b.refusedRows.Add(b.refusedRow(r))
	}
}

func (b *connectionBanner) refusedRow(r data.RefusedAction) fyne.CanvasObject {
	what := keptActionText(r.Action)
	if r.Child != "" {
		what += " · " + r.Child
	}
	if r.Detail != "" {
		what += " · " + r.Detail
	}
	title := &widget.Label{Text: what, TextStyle: fyne.TextStyle{Bold: true}, Wrapping: fyne.TextWrapWord}
	who := widget.NewLabel(lang.L("by {{.Name}} at {{.Time}} on {{.Date}}", map[string]any{
		"Name": r.By, "Time": r.At.In(time.Local).Format("15:04"), "Date": formatDate(r.Date)}))
	reason := &widget.Label{Text: userMessage(r.Err), Wrapping: fyne.TextWrapWord, Importance: widget.DangerImportance}
	id := r.ID
	_, seen := newTouchButton(lang.L("Seen"), theme.ConfirmIcon(), func() {
		if err := b.conn.Dismiss(id); err != nil {
			showInfo(lang.L("Not accepted"), userMessage(err), b.window)
		}
	})
	return container.NewVBox(container.NewBorder(nil, nil, nil, touchable(seen, 120), container.NewVBox(title, who)), reason, widget.NewSeparator())
}

// needsHub reports whether err says the tablet cannot reach the hub.
func needsHub(err error) bool {
	var r *data.Refusal
	return errors.As(err, &r) && r.Code == data.RefuseNeedsHub
}

// keptActionText names a kept action as staff say it.
func keptActionText(a data.KeptAction) string {
	switch a {
	case data.KeptCheckIn:
		return lang.L("Check-in")
	case data.KeptCheckOut:
		return lang.L("Check-out")
	case data.KeptSetTimes:
		return lang.L("Corrected times")
	case data.KeptAbsent, data.KeptAbsentOther:
		return lang.L("Absence")
	case data.KeptClearAbsence:
		return lang.L("Absence withdrawn")
	case data.KeptNote:
		return lang.L("Note")
	case data.KeptPrint:
		return lang.L("Printed list")
	}
	return string(a)
}
