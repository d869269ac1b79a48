package ui

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"locatiedesk/data"
	"locatiedesk/reports"
)

// presentView is who is in the building right now at a location, per group,
// with whom to call for each child: the list staff take outside when the
// fire alarm goes or a group leaves for the park. It follows every change
// while open, and prints (or saves) the list as it is at the moment of the tap.
type presentView struct {
	store      data.Store
	window     fyne.Window
	jobs       *jobs
	locationID data.ID
	printDir   string
	openURL    func(*url.URL) error

	heading     *widget.Label
	counts      *widget.Label
	groups      *fyne.Container
	printButton *widget.Button
	saveButton  *widget.Button
	dialog      *dialog.CustomDialog
	stopFeed    func()
	listLoad    latest

	list data.PresentList
}

// onPresent opens the list of who is here for the location on the screen.
func (s *attendanceScreen) onPresent() {
	i := s.locationSelect.SelectedIndex()
	if i < 0 {
		return
	}
	v := &presentView{store: s.store, window: s.window, jobs: s.jobs.sub(), locationID: s.locations[i].ID, printDir: defaultPrintDir()}
	if app := fyne.CurrentApp(); app != nil {
		v.openURL = app.OpenURL
	}
	v.show()
}

func (v *presentView) show() {
	v.heading = &widget.Label{Wrapping: fyne.TextWrapWord}
	v.counts = &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, Wrapping: fyne.TextWrapWord}
	v.groups = container.NewVBox()
	var printBox, saveBox fyne.CanvasObject
	v.printButton, printBox = newTouchButton(lang.L("Print"), theme.DocumentPrintIcon(), v.onPrint)
	v.printButton.Importance = widget.HighImportance
	v.saveButton, saveBox = newTouchButton(lang.L("Save as PDF…"), theme.DocumentSaveIcon(), v.onSave)
	top := container.NewVBox(v.heading, container.NewBorder(nil, nil, nil, newConsentLegend(), v.counts), widget.NewSeparator())
	content := container.NewBorder(top, nil, nil, nil, container.NewVScroll(v.groups))

	v.dialog = dialog.NewCustomWithoutButtons(lang.L("Who is here now?"), content, v.window)
	_, closeBox := newTouchButton(lang.L("Close"), theme.CancelIcon(), func() { v.dialog.Hide() })
	v.dialog.SetButtons([]fyne.CanvasObject{touchable(closeBox, 140), touchable(saveBox, 200), touchable(printBox, 160)})
	v.stopFeed = follow(v.jobs, v.store, v.onChange)
	size := v.window.Canvas().Size()
	v.dialog.Resize(fyne.NewSize(min(size.Width-16, 900), size.Height-24))
	showDialogThen(v.window, v.dialog, nil, nil, v.close)
	v.reload()
}

// onChange runs on the writer's goroutine: any check-in or check-out, on
// any device, redraws the list.
func (v *presentView) onChange(c data.Change) {
	if c.Kind == data.ChangeAttendance || c.Kind == data.ChangeCatalog {
		fyne.Do(v.reload)
	}
}

// close stops following the store when the dialog closes.
func (v *presentView) close() {
	v.stopFeed()
	v.jobs.close()
}

// reload reads the list off the UI goroutine and draws it.
func (v *presentView) reload() {
	store, locationID := v.store, v.locationID
	load(v.jobs, &v.listLoad, func(ctx context.Context) (data.PresentList, error) { return store.PresentNow(ctx, locationID, 0) },
		func(list data.PresentList, err error) {
			if err != nil {
				v.showError(err)
				return
			}
			v.draw(list)
		})
}

func (v *presentView) draw(list data.PresentList) {
	v.list = list
	heading := lang.L("{{.Location}}, as of {{.Time}} on {{.Date}}", map[string]any{
		"Location": list.Location.Name, "Time": list.AsOf.Format("15:04:05"), "Date": formatDate(data.DateOf(list.AsOf))})
	switch {
	case list.Stale && !list.StateOf.IsZero():
		heading += " · " + lang.L("Offline — state of {{.Time}}, may not be current", map[string]any{"Time": list.StateOf.Format("15:04")})
	case list.Stale:
		heading += " · " + lang.L("Last known state, may not be current")
	}
	v.heading.SetText(heading)
	v.counts.SetText(lang.L("Here: {{.Here}} · not here yet: {{.NotHere}}", map[string]any{"Here": list.Total(), "NotHere": list.TotalNotHere()}))
	v.groups.RemoveAll()
	for _, g := range list.Groups {
		v.groups.Add(v.groupSection(g))
	}
}

// groupSection is one group: who is here with whom to call, then who is
// not here yet.
func (v *presentView) groupSection(g data.PresentGroup) fyne.CanvasObject {
	title := &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, Importance: widget.HighImportance,
		Text: lang.L("{{.Group}}: {{.Count}} here", map[string]any{"Group": g.Group.Name, "Count": len(g.Here)})}
	box := container.NewVBox(title)
	switch {
	case g.Closed:
		box.Add(widget.NewLabel(lang.L("Closed today")))
	case len(g.Here) == 0:
		box.Add(widget.NewLabel(lang.L("Nobody here")))
	}
	for _, c := range g.Here {
		box.Add(presentRow(c))
	}
	if len(g.NotHere) > 0 {
		names := make([]string, len(g.NotHere))
		for i, c := range g.NotHere {
			names[i] = c.Name()
		}
		box.Add(&widget.Label{Wrapping: fyne.TextWrapWord, Importance: widget.MediumImportance,
			Text: lang.L("Not here yet: {{.Names}}", map[string]any{"Names": strings.Join(names, ", ")})})
	}
	box.Add(widget.NewSeparator())
	return box
}

// presentRow is one child: consent marker, name and check-in time, and the
// contacts to call underneath.
func presentRow(c data.PresentChild) fyne.CanvasObject {
	marker := &canvas.Image{Resource: consentMarker(c.Consent), FillMode: canvas.ImageFillContain}
	marker.SetMinSize(fyne.NewSquareSize(22))
	name := &widget.Label{Text: c.Name(), TextStyle: fyne.TextStyle{Bold: true}, Truncation: fyne.TextTruncateEllipsis}
	in := widget.NewLabel(lang.L("in since {{.Time}}", map[string]any{"Time": c.CheckIn.String()}))
	line := container.NewBorder(nil, nil, marker, in, name)
	if len(c.Contacts) == 0 {
		return container.NewVBox(line, widget.NewLabel("    "+lang.L("No contact with a phone number")))
	}
	calls := make([]string, len(c.Contacts))
	for i, k := range c.Contacts {
		who := k.Name
		if k.Relation != "" {
			who += " (" + k.Relation + ")"
		}
		calls[i] = who + "  " + k.Phone
	}
	return container.NewVBox(line, &widget.Label{Text: strings.Join(calls, "\n"), Wrapping: fyne.TextWrapWord})
}

// onPrint reads the list again at the moment of the tap, makes the PDF off
// the UI goroutine and opens it in the system's viewer, which prints it.
func (v *presentView) onPrint() {
	v.jobs.write(func(ctx context.Context) {
		list, path, err := v.writePrintFile(ctx)
		fyne.Do(func() {
			if err == nil {
				v.draw(list)
				err = v.openFile(path)
			}
			if err != nil {
				fyne.LogError("print who is here", err)
				showInfo(lang.L("Not printed"), lang.L("The list could not be opened in a PDF viewer for printing. Save it as a PDF and print that file instead.")+" ("+err.Error()+")", v.window)
			}
		})
	})
}

// writePrintFile reads the list and writes it to a new file in the print
// folder (see printfiles.go), logged as printed by whoever is signed in.
func (v *presentView) writePrintFile(ctx context.Context) (data.PresentList, string, error) {
	list, err := v.store.PresentNow(ctx, v.locationID, 0)
	if err != nil {
		return list, "", err
	}
	if err := os.MkdirAll(v.printDir, 0o700); err != nil {
		return list, "", err
	}
	f, err := os.CreateTemp(v.printDir, strings.TrimSuffix(presentFileName(list), ".pdf")+"-*.pdf")
	if err != nil {
		return list, "", err
	}
	err = reports.PresentPDF(f, list)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = v.store.LogPrint(ctx, presentLogText(list, "printed"))
	}
	if err != nil {
		os.Remove(f.Name())
		return list, "", err
	}
	return list, f.Name(), nil
}

func (v *presentView) openFile(path string) error {
	if v.openURL == nil {
		return fmt.Errorf("no PDF viewer to open %s", path)
	}
	u, err := url.Parse(storage.NewFileURI(path).String())
	if err != nil {
		return err
	}
	return v.openURL(u)
}

// onSave lets the user keep the list where they choose; the list is read
// again when the file is chosen.
func (v *presentView) onSave() {
	askSaveFile(v.window, presentFileName(v.list), []string{".pdf"},
		func(w fyne.URIWriteCloser) { v.writeTo(w, w.URI().Name()) }, v.showError)
}

// writeTo makes the whole PDF before writing any of it to w, then closes w.
func (v *presentView) writeTo(w io.WriteCloser, name string) {
	v.jobs.write(func(ctx context.Context) {
		var buf bytes.Buffer
		list, err := v.store.PresentNow(ctx, v.locationID, 0)
		if err == nil {
			err = reports.PresentPDF(&buf, list)
		}
		if err == nil {
			err = v.store.LogPrint(ctx, presentLogText(list, "saved as "+name))
		}
		if err == nil {
			_, err = w.Write(buf.Bytes())
		}
		if cerr := w.Close(); err == nil {
			err = cerr
		}
		fyne.Do(func() {
			if err != nil {
				v.showError(err)
				return
			}
			v.draw(list)
			dialog.ShowInformation(lang.L("Saved"), lang.L("The list is saved as {{.File}}.", map[string]any{"File": name}), v.window)
		})
	})
}

// presentFileName names the PDF: wie-is-er-2026-12-01-1042-de-vlinder.pdf.
func presentFileName(list data.PresentList) string {
	location := strings.Join(strings.Fields(strings.ToLower(list.Location.Name)), "-")
	location = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`/\:*?"<>|`, r) {
			return '-'
		}
		return r
	}, location)
	return fmt.Sprintf("wie-is-er-%s-%s.pdf", list.AsOf.Format("2006-01-02-1504"), location)
}

// presentLogText says in the audit log which list left the program; the
// entry itself names who did it.
func presentLogText(list data.PresentList, how string) string {
	return fmt.Sprintf("who-is-here list of %s as of %s (%d here) %s", list.Location.Name, list.AsOf.Format("2006-01-02 15:04:05"), list.Total(), how)
}

func (v *presentView) showError(err error) {
	fyne.LogError("who is here", err)
	dialog.ShowInformation(lang.L("Who is here now?"), userMessage(err), v.window)
}
