package ui

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"locatiedesk/data"
)

// HubHost serves the window's data file to the location's devices; the
// command (cmd/locatiedesk) gives the real one, which also announces it on
// the network.
type HubHost interface {
	// Serve starts serving in the background and says where devices reach it.
	Serve(ctx context.Context) (HubAddress, error)
	// Stop stops serving; the devices lose their connection.
	Stop()
}

// HubAddress is where devices reach the hub, and the name it is announced by.
type HubAddress struct {
	URL, Fingerprint, Name string
}

// PrefServeHub is the preferences key of "this computer is the location's
// hub": the window serves its data file again when it opens.
const PrefServeHub = "serveHub"

// hubSwitch is the window's hub: off, or serving at an address. It lives
// as long as the window, so signing out does not stop the tablets' work.
type hubSwitch struct {
	host    HubHost
	prefs   fyne.Preferences
	address *HubAddress // nil while off
	err     error       // why the last start failed
	// changed redraws the Devices screen that shows the switch, if open.
	changed func()
}

// turn starts or stops serving and remembers the choice for the next start.
func (h *hubSwitch) turn(on bool, j *jobs) {
	h.prefs.SetBool(PrefServeHub, on)
	if !on {
		if h.address != nil {
			host := h.host
			j.run(host.Stop)
		}
		h.address, h.err = nil, nil
		h.redraw()
		return
	}
	if h.address != nil {
		return
	}
	host := h.host
	j.run(func() {
		addr, err := host.Serve(context.Background())
		fyne.Do(func() {
			if err == nil && !h.prefs.Bool(PrefServeHub) {
				j.run(host.Stop) // turned off again while it started
				return
			}
			h.address, h.err = nil, err
			if err == nil {
				h.address = &addr
			} else {
				fyne.LogError("serving the data file", err)
			}
			h.redraw()
		})
	})
}

func (h *hubSwitch) redraw() {
	if h.changed != nil {
		h.changed()
	}
}

// resumeHub serves the data file again when this computer was the hub.
func (sh *Shell) resumeHub() {
	if sh.hubHost == nil {
		return
	}
	sh.hub = &hubSwitch{host: sh.hubHost, prefs: sh.app.Preferences()}
	if sh.app.Preferences().Bool(PrefServeHub) {
		sh.hub.turn(true, sh.own())
	}
}

// devicesScreen is the managers' Devices tab: whether this computer is the
// location's hub, the devices paired with it (revoke one at once), and a
// one-time code to pair a tablet.
type devicesScreen struct {
	store  data.Store
	window fyne.Window
	jobs   *jobs
	hub    *hubSwitch // nil where the window works on another computer's hub

	hubBox   *fyne.Container
	list     *fyne.Container
	message  *widget.Label
	listAt   latest
	stopFeed func()
}

func newDevicesScreen(store data.Store, w fyne.Window, j *jobs, hub *hubSwitch) *devicesScreen {
	s := &devicesScreen{store: store, window: w, jobs: j, hub: hub}
	// Another manager's pairing or revocation shows at once.
	s.stopFeed = follow(j, store, func(c data.Change) {
		if c.Kind == data.ChangeDevice {
			fyne.Do(s.reload)
		}
	})
	return s
}

func (s *devicesScreen) buildUI() fyne.CanvasObject {
	heading := func(text string) *widget.Label {
		return &widget.Label{Text: text, TextStyle: fyne.TextStyle{Bold: true}}
	}
	s.hubBox = container.NewVBox()
	s.list = container.NewVBox()
	s.message = &widget.Label{Wrapping: fyne.TextWrapWord, Importance: widget.DangerImportance}
	pair, pairBox := newTouchButton(lang.L("Pair a tablet"), theme.ContentAddIcon(), s.onPair)
	pair.Importance = widget.HighImportance
	body := container.NewVBox()
	if s.hub != nil {
		s.hub.changed = s.drawHub
		body.Add(heading(lang.L("This computer is the location's hub")))
		body.Add(s.hubBox)
		body.Add(widget.NewSeparator())
		s.drawHub()
	}
	body.Add(heading(lang.L("Paired devices")))
	body.Add(&widget.Label{Text: lang.L("Tablets and computers that work on this location's data. Revoke one that is lost or replaced: it is refused at once."), Wrapping: fyne.TextWrapWord})
	body.Add(container.NewHBox(pairBox))
	body.Add(s.message)
	body.Add(s.list)
	s.reload()
	return container.NewVScroll(container.NewPadded(body))
}

func (s *devicesScreen) close() {
	s.stopFeed()
	if s.hub != nil {
		s.hub.changed = nil
	}
	s.jobs.close()
}

// drawHub shows the switch and, while serving, where devices reach the hub.
func (s *devicesScreen) drawHub() {
	h := s.hub
	serve := newTick(lang.L("Serve this computer's data to the location's tablets"), h.prefs.Bool(PrefServeHub))
	serve.OnChanged = func(on bool) { h.turn(on, s.jobs) }
	s.hubBox.RemoveAll()
	s.hubBox.Add(touchCheck(serve))
	switch {
	case h.err != nil:
		s.hubBox.Add(&widget.Label{Text: lang.L("This computer could not start serving:") + " " + userMessage(h.err), Wrapping: fyne.TextWrapWord, Importance: widget.DangerImportance})
	case h.address != nil:
		a := h.address
		s.hubBox.Add(widget.NewForm(
			widget.NewFormItem(lang.L("Address"), &widget.Label{Text: hostOf(a.URL), TextStyle: fyne.TextStyle{Bold: true}}),
			widget.NewFormItem(lang.L("Fingerprint"), &widget.Label{Text: a.Fingerprint, TextStyle: fyne.TextStyle{Monospace: true}, Wrapping: fyne.TextWrapBreak}),
		))
		s.hubBox.Add(&widget.Label{Text: lang.L("Tablets on this network find it as {{.Title}}. Keep this computer on while the location works.", map[string]any{"Title": "Locatiedesk — " + a.Name}), Wrapping: fyne.TextWrapWord})
	case h.prefs.Bool(PrefServeHub):
		s.hubBox.Add(&widget.Label{Text: lang.L("Starting…")})
	default:
		s.hubBox.Add(&widget.Label{Text: lang.L("Tablets can work on this computer's data when it serves it. Turn this on on the one computer that stays on at the location."), Wrapping: fyne.TextWrapWord})
	}
}

func (s *devicesScreen) reload() {
	load(s.jobs, &s.listAt, s.store.Devices, s.showDevices)
}

func (s *devicesScreen) showDevices(devices []data.Device, err error) {
	s.list.RemoveAll()
	if err != nil {
		s.message.SetText(userMessage(err))
		return
	}
	s.message.SetText("")
	if len(devices) == 0 {
		s.list.Add(&widget.Label{Text: lang.L("No device is paired yet."), Importance: widget.LowImportance})
	}
	for _, d := range devices {
		s.list.Add(s.deviceRow(d))
	}
}

// deviceRow is one device: its name, who paired it when, when it was last
// seen, and Revoke while it is active.
func (s *devicesScreen) deviceRow(d data.Device) fyne.CanvasObject {
	name := &widget.Label{Text: d.Name, TextStyle: fyne.TextStyle{Bold: true}, Truncation: fyne.TextTruncateEllipsis}
	detail := lang.L("Paired on {{.Date}} by {{.By}}", map[string]any{"Date": formatMoment(d.PairedAt), "By": d.PairedBy})
	if d.LastSeen.IsZero() {
		detail += " · " + lang.L("not seen yet")
	} else {
		detail += " · " + lang.L("last seen {{.When}}", map[string]any{"When": formatMoment(d.LastSeen)})
	}
	info := container.NewVBox(name, &widget.Label{Text: detail, Wrapping: fyne.TextWrapWord})
	if !d.Active() {
		info.Add(&widget.Label{Text: lang.L("Revoked on {{.Date}} by {{.By}}", map[string]any{"Date": formatMoment(d.RevokedAt), "By": d.RevokedBy}), Importance: widget.DangerImportance})
		return container.NewPadded(info)
	}
	revoke, revokeBox := newTouchButton(lang.L("Revoke"), theme.CancelIcon(), func() { s.onRevoke(d) })
	revoke.Importance = widget.DangerImportance
	return container.NewPadded(container.NewBorder(nil, nil, nil, revokeBox, info))
}

func (s *devicesScreen) onRevoke(d data.Device) {
	showConfirm(s.window, lang.L("Revoke"),
		lang.L("{{.Name}} can no longer reach the hub, from its next call on. To use it again, pair it anew. Revoke?", map[string]any{"Name": d.Name}),
		func(yes bool) {
			if !yes {
				return
			}
			store := s.store
			s.jobs.write(func(ctx context.Context) {
				err := store.RevokeDevice(ctx, d.ID)
				fyne.Do(func() {
					if err != nil {
						showInfo(lang.L("Not revoked"), userMessage(err), s.window)
					}
					s.reload()
				})
			})
		})
}

// onPair asks which tablet is to be paired, then shows its one-time code.
func (s *devicesScreen) onPair() {
	name := newField(lang.L("For example Tablet Rupsjes"))
	items := []*widget.FormItem{{Text: lang.L("Tablet"), Widget: name, HintText: lang.L("The name it gets in the list; left empty, the tablet gives its own")}}
	showFormDialog(s.window, lang.L("Pair a tablet"), lang.L("Make a code"), items, func() (func(), string) {
		store, device := s.store, name.Text
		return func() {
			s.jobs.write(func(ctx context.Context) {
				code, err := store.CreatePairingCode(ctx, device)
				fyne.Do(func() {
					if err != nil {
						showInfo(lang.L("No code made"), userMessage(err), s.window)
						return
					}
					s.showCode(code)
				})
			})
		}, ""
	})
}

// showCode shows a one-time code big enough to read from across a desk.
func (s *devicesScreen) showCode(code data.PairingCode) {
	text := canvas.NewText(data.FormatPairingCode(code.Code), theme.Color(theme.ColorNameForeground))
	text.TextSize = theme.TextSize() * 3
	text.TextStyle = fyne.TextStyle{Monospace: true} // each letter apart: no 0 and O to confuse
	text.Alignment = fyne.TextAlignCenter
	steps := &widget.Label{Text: lang.L("On {{.Name}}: start Locatiedesk, choose Connect to the location's computer, choose this computer and type this code.", map[string]any{"Name": code.DeviceName}), Wrapping: fyne.TextWrapWord}
	valid := &widget.Label{Text: lang.L("Valid until {{.Time}}, once.", map[string]any{"Time": code.Expires.Local().Format("15:04")}), Alignment: fyne.TextAlignCenter, Importance: widget.WarningImportance}
	content := container.NewVBox(steps, container.NewPadded(text), valid)
	showPlain(s.window, lang.L("Pairing code"), content, func() { s.reload() })
}

// formatMoment is a moment as people read it in a list: the date and the time.
func formatMoment(t time.Time) string {
	t = t.Local()
	return formatDate(data.DateOf(t)) + " " + t.Format("15:04")
}
