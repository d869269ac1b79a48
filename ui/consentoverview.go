package ui

import (
	"bytes"
	"context"
	"errors"
	"io"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"locatiedesk/data"
	"locatiedesk/reports"
)

// consentFilter narrows the overview to one kind of answer.
type consentFilter int

// The filters, in the order the filter list offers them.
const (
	filterEveryone consentFilter = iota
	filterNoPhotos
	filterNotAnswered
	filterNone
	filterPortal
	filterPublic
	filterEnded
)

func (f consentFilter) keeps(s data.ConsentStatus) bool {
	switch f {
	case filterNoPhotos:
		return !s.MayPhotograph()
	case filterNotAnswered:
		return !s.Ended() && s.Level == data.ConsentNotAnswered
	case filterNone:
		return !s.Ended() && s.Level == data.ConsentNone
	case filterPortal:
		return !s.Ended() && s.Level == data.ConsentPortal
	case filterPublic:
		return !s.Ended() && s.Level == data.ConsentPublic
	case filterEnded:
		return s.Ended()
	default:
		return true
	}
}

func consentFilterNames() []string {
	return []string{lang.L("Everyone"), lang.L("No photos"), lang.L("Not answered yet"), lang.L("No consent"),
		lang.L("Parent portal only"), lang.L("Parent portal and public"), lang.L("Ended")}
}

// consentOverview is the photo-consent overview per group or per location
// (C2): who may not be photographed, whose parents must still be asked, a
// sheet for the group room and the import of a parent portal's export.
type consentOverview struct {
	store  data.Store
	window fyne.Window
	user   string
	jobs   *jobs
	// openCard opens a child's card at the consent tab.
	openCard func(childID data.ID)

	locationSelect *widget.Select
	groupSelect    *widget.Select
	filterSelect   *widget.Select
	chaseButton    *widget.Button
	printButton    *widget.Button
	importButton   *widget.Button
	counts         *widget.Label
	message        *widget.Label
	list           *widget.List

	locations  []data.Location
	groups     []data.Group
	locationID data.ID
	groupID    data.ID // 0: the whole location
	filter     consentFilter
	rows       []data.ConsentRow
	shown      []data.ConsentRow
	stopFeed   func()
	// groupsLoad and rowsLoad are the latest loads of the group picker and the overview.
	groupsLoad, rowsLoad latest
}

func newConsentOverview(store data.Store, window fyne.Window, user string, jobs *jobs) *consentOverview {
	s := &consentOverview{store: store, window: window, user: user, jobs: jobs}
	s.stopFeed = follow(jobs, store, s.onChange)
	return s
}

func (s *consentOverview) buildUI() fyne.CanvasObject {
	s.locationSelect = &widget.Select{PlaceHolder: lang.L("Location"), OnChanged: s.onLocationChosen}
	s.groupSelect = &widget.Select{PlaceHolder: lang.L("Group"), OnChanged: s.onGroupChosen}
	s.filterSelect = &widget.Select{Options: consentFilterNames(), OnChanged: s.onFilterChosen}
	s.filterSelect.SetSelectedIndex(int(filterEveryone))
	var chase, print, imp fyne.CanvasObject
	s.chaseButton, chase = newTouchButton("", theme.MailComposeIcon(), func() { s.filterSelect.SetSelectedIndex(int(filterNotAnswered)) })
	s.printButton, print = newTouchButton(lang.L("Sheet for the group room (PDF)"), theme.DocumentPrintIcon(), s.onPrint)
	s.importButton, imp = newTouchButton(lang.L("Import…"), theme.UploadIcon(), s.onImport)
	header := newFlow(touchable(s.locationSelect, 200), touchable(s.groupSelect, 180), touchable(s.filterSelect, 240),
		chase, print, imp)

	s.counts = &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, Wrapping: fyne.TextWrapWord}
	s.message = &widget.Label{Alignment: fyne.TextAlignCenter, Wrapping: fyne.TextWrapWord}
	s.list = &widget.List{
		Length:     func() int { return len(s.shown) },
		CreateItem: newConsentItem,
		UpdateItem: func(i widget.ListItemID, o fyne.CanvasObject) { updateConsentItem(o, s.shown[i]) },
		OnSelected: func(i widget.ListItemID) {
			s.list.UnselectAll()
			if s.openCard != nil {
				s.openCard(s.shown[i].Child.ID)
			}
		},
	}
	top := container.NewVBox(header, s.counts, newConsentLegend(), widget.NewSeparator())
	s.loadLocations()
	return container.NewBorder(top, nil, nil, nil, container.NewStack(s.message, s.list))
}

func (s *consentOverview) close() {
	s.stopFeed()
	s.jobs.close()
}

func (s *consentOverview) onChange(c data.Change) {
	if c.Kind == data.ChangeConsent || c.Kind == data.ChangeCatalog || c.Kind == data.ChangePlanning {
		fyne.Do(s.reload)
	}
}

func (s *consentOverview) loadLocations() {
	load(s.jobs, nil, s.store.Locations, func(locations []data.Location, err error) {
		if err != nil {
			s.showError(err)
			return
		}
		s.locations = locations
		if !offer(s.locationSelect, namesOf(locations, locationName)) {
			s.reload()
		}
	})
}

func (s *consentOverview) onLocationChosen(string) {
	i := s.locationSelect.SelectedIndex()
	if i < 0 {
		return
	}
	store, locationID := s.store, s.locations[i].ID
	load(s.jobs, &s.groupsLoad, func(ctx context.Context) ([]data.Group, error) { return store.Groups(ctx, locationID) }, func(groups []data.Group, err error) {
		if err != nil {
			s.showError(err)
			return
		}
		s.locationID, s.groups = locationID, groups
		names := []string{lang.L("All groups")}
		for _, g := range groups {
			names = append(names, g.Name)
		}
		s.groupSelect.SetOptions(names)
		s.groupSelect.SetSelectedIndex(0)
	})
}

func (s *consentOverview) onGroupChosen(string) {
	i := s.groupSelect.SelectedIndex()
	if i < 0 {
		return
	}
	s.groupID = 0
	if i > 0 {
		s.groupID = s.groups[i-1].ID
	}
	s.reload()
}

func (s *consentOverview) onFilterChosen(string) {
	s.filter = consentFilter(max(0, s.filterSelect.SelectedIndex()))
	s.applyFilter()
}

// reload reads the overview again; it runs on every consent or planning change.
func (s *consentOverview) reload() {
	if s.locationID == 0 {
		s.rows = nil
		s.applyFilter()
		return
	}
	store, locationID, groupID := s.store, s.locationID, s.groupID
	load(s.jobs, &s.rowsLoad, func(ctx context.Context) ([]data.ConsentRow, error) {
		return store.ConsentOverview(ctx, locationID, groupID)
	}, func(rows []data.ConsentRow, err error) {
		if err != nil {
			s.showError(err)
			return
		}
		s.rows = rows
		s.applyFilter()
	})
}

func (s *consentOverview) applyFilter() {
	if s.list == nil {
		return
	}
	s.shown = s.shown[:0]
	var notAnswered, noPhotos, portal, public, ended int
	for _, r := range s.rows {
		if s.filter.keeps(r.ConsentStatus) {
			s.shown = append(s.shown, r)
		}
		switch {
		case r.Ended():
			ended++
		case r.Level == data.ConsentPublic:
			public++
		case r.Level == data.ConsentPortal:
			portal++
		case r.Level == data.ConsentNotAnswered:
			notAnswered++
		}
		if !r.MayPhotograph() {
			noPhotos++
		}
	}
	s.counts.SetText(lang.L("{{.Total}} children · {{.NoPhotos}} no photos (of whom {{.NotAnswered}} not answered) · {{.Portal}} parent portal only · {{.Public}} public · {{.Ended}} ended",
		map[string]any{"Total": len(s.rows), "NoPhotos": noPhotos, "NotAnswered": notAnswered, "Portal": portal, "Public": public, "Ended": ended}))
	s.chaseButton.SetText(lang.L("Not answered ({{.Count}})", map[string]any{"Count": notAnswered}))
	setEnabled(s.chaseButton, notAnswered > 0)
	setEnabled(s.printButton, len(s.rows) > 0)
	switch {
	case s.locationID == 0:
		s.message.SetText(lang.L("Choose a location and a group."))
	case len(s.shown) == 0:
		s.message.SetText(lang.L("No children match this choice."))
	}
	s.message.Hidden = len(s.shown) > 0
	s.list.Hidden = len(s.shown) == 0
	s.message.Refresh()
	s.list.Refresh()
}

// newConsentItem is one child of the overview: picture with marker, name,
// group and the answer.
func newConsentItem() fyne.CanvasObject {
	name := &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, Truncation: fyne.TextTruncateEllipsis}
	detail := &widget.Label{Truncation: fyne.TextTruncateEllipsis}
	level := &widget.Label{Alignment: fyne.TextAlignTrailing}
	return container.NewBorder(nil, nil, newAvatar(), level, container.NewVBox(name, detail))
}

func updateConsentItem(o fyne.CanvasObject, r data.ConsentRow) {
	c := o.(*fyne.Container)
	texts := c.Objects[0].(*fyne.Container).Objects
	texts[0].(*widget.Label).SetText(r.Child.Name())
	detail := r.Group.Name
	if !r.Since.IsZero() {
		detail += " · " + lang.L("answered on {{.Date}}", map[string]any{"Date": shortDate(r.Since)})
	}
	texts[1].(*widget.Label).SetText(detail)
	av := c.Objects[1].(*avatar)
	av.set(r.Child.Initials(), nil)
	av.setConsent(shownLevel(r.ConsentStatus))
	c.Objects[2].(*widget.Label).SetText(consentLevelText(r.ConsentStatus))
}

// sheet is what the group room's PDF shows: every child of the choice, not
// only the filtered ones, since its sections would otherwise say "nobody" wrongly.
func (s *consentOverview) sheet() reports.ConsentSheet {
	sheet := reports.ConsentSheet{Date: s.store.Today(), Rows: s.rows, Created: s.store.Now()}
	for _, l := range s.locations {
		if l.ID == s.locationID {
			sheet.Location = l.Name
		}
	}
	for _, g := range s.groups {
		if g.ID == s.groupID {
			sheet.Group = g.Name
		}
	}
	return sheet
}

func (s *consentOverview) onPrint() {
	sheet := s.sheet()
	var buf bytes.Buffer
	if err := reports.ConsentPDF(&buf, sheet); err != nil {
		s.showError(err)
		return
	}
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil || w == nil {
			s.fileError(err)
			return
		}
		file := saving(w)
		_, err = file.Write(buf.Bytes())
		if err = file.finish(err); err != nil {
			s.showError(err)
			return
		}
		name, path := w.URI().Name(), w.URI().Path()
		s.jobs.write(func(ctx context.Context) {
			err := s.store.LogPrint(ctx, "photo-consent sheet saved as "+name) // logged once it is written
			fyne.Do(func() {
				if err != nil {
					s.showError(err)
					return
				}
				showInfo(lang.L("Saved"), lang.L("The sheet is saved as {{.Path}}. Open it to print it.", map[string]any{"Path": path}), s.window)
			})
		})
	}, s.window)
	place := sheet.Location
	if sheet.Group != "" {
		place = sheet.Group
	}
	d.SetFileName(lang.L("photo-consent") + "-" + place + "-" + sheet.Date.String() + ".pdf")
	d.SetFilter(storage.NewExtensionFileFilter([]string{".pdf"}))
	d.Show()
}

func (s *consentOverview) onImport() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			s.fileError(err)
			return
		}
		s.importFrom(r, r.URI().Name())
	}, s.window)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".csv", ".CSV"}))
	d.Show()
}

// importFrom imports a consent file off the UI goroutine and reports the
// outcome: how many answers, or every bad line (and nothing imported).
func (s *consentOverview) importFrom(r io.ReadCloser, name string) {
	s.jobs.write(func(ctx context.Context) {
		res, err := s.store.ImportConsent(ctx, r, s.user, lang.L("import {{.File}}", map[string]any{"File": name}))
		r.Close()
		fyne.Do(func() {
			var ie *data.ImportError
			switch {
			case errors.As(err, &ie):
				s.showImportProblems(name, ie.Lines)
			case err != nil:
				s.showError(err)
			default:
				showInfo(lang.L("Imported"), lang.L("{{.Imported}} answers imported from {{.File}}; {{.Unchanged}} were recorded already.",
					map[string]any{"Imported": res.Imported, "Unchanged": res.Unchanged, "File": name}), s.window)
			}
		})
	})
}

func (s *consentOverview) showImportProblems(name string, problems []data.LineError) {
	lines := container.NewVBox()
	for _, p := range problems {
		lines.Add(&widget.Label{Text: importProblemText(p), Wrapping: fyne.TextWrapWord})
	}
	intro := &widget.Label{Wrapping: fyne.TextWrapWord, Text: lang.N("{{.File}} has {{.Count}} problems. Nothing was imported: correct the file and import it again.", len(problems),
		map[string]any{"File": name, "Count": len(problems)})}
	d := dialog.NewCustom(lang.L("Nothing imported"), lang.L("Close"), container.NewBorder(intro, nil, nil, nil, container.NewVScroll(lines)), s.window)
	d.Resize(fitDialog(s.window, fyne.NewSize(760, 480)))
	showDialog(s.window, d, d.Hide, nil)
}

// importProblemText says what is wrong on a line, in the user's language.
func importProblemText(p data.LineError) string {
	v := map[string]any{"Value": p.Value, "Want": p.Want, "Line": p.Line}
	var text string
	switch p.Problem {
	case data.ProblemTooLarge:
		text = lang.L("The file is too large for a consent export.")
	case data.ProblemEmpty:
		text = lang.L("The file has no lines after the header line.")
	case data.ProblemEncoding:
		text = lang.L("This line is not UTF-8 text; save the file as CSV UTF-8.")
	case data.ProblemMissingColumn:
		text = lang.L("The header line has no column {{.Value}}.", v)
	case data.ProblemDoubleColumn:
		text = lang.L("The header line names column {{.Value}} twice.", v)
	case data.ProblemQuotes:
		text = lang.L("A quote is out of place.")
	case data.ProblemFieldCount:
		text = lang.L("{{.Value}} fields, but the header line has {{.Want}}.", v)
	case data.ProblemChildID:
		text = lang.L("Child id “{{.Value}}” is not a number.", v)
	case data.ProblemBirthDate:
		text = lang.L("Birth date “{{.Value}}” is not a date.", v)
	case data.ProblemNoChild:
		text = lang.L("No child id, and no name with birth date.")
	case data.ProblemDate:
		text = lang.L("Date “{{.Value}}” is not a date.", v)
	case data.ProblemFutureDate:
		text = lang.L("Date {{.Value}} is after today.", v)
	case data.ProblemUnknownLevel:
		text = lang.L("Unknown level “{{.Value}}” (use none, portal or public).", v)
	case data.ProblemUnknownChild:
		text = lang.L("Unknown child: {{.Value}}.", v)
	case data.ProblemAmbiguous:
		text = lang.L("Several children are {{.Value}}; use the child id.", v)
	case data.ProblemMismatch:
		text = lang.L("Child id {{.Value}} belongs to a child with another name or birth date.", v)
	default:
		text = p.Error()
	}
	if p.Line == 0 {
		return text
	}
	return lang.L("Line {{.Line}}:", v) + " " + text
}

// fileError reports a failed file dialog; a cancelled one (no error) says nothing.
func (s *consentOverview) fileError(err error) {
	if err != nil {
		s.showError(err)
	}
}

func (s *consentOverview) showError(err error) {
	fyne.LogError("consent overview", err)
	showInfo(lang.L("Photo consent"), userMessage(err), s.window)
}
