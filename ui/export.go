package ui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"locatiedesk/data"
	"locatiedesk/reports"
)

// exportScreen is the planner's invoicing export (F1): a period and a
// location (or all), a preview of what the export will hold, per product,
// and the export itself as CSV or XLSX. Every export is recorded as a
// batch; earlier batches are listed and can be saved again, the same file.
// The preview follows every change at once (A2), so it never needs a refresh.
type exportScreen struct {
	store  data.Store
	window fyne.Window
	user   string
	jobs   *jobs

	fromEntry      *field
	toEntry        *field
	locationSelect *widget.Select
	status         *widget.Label
	totals         *fyne.Container
	csvButton      *widget.Button
	xlsxButton     *widget.Button
	batchesBox     *fyne.Container

	locations []data.Location
	// shown is whether the tab is on screen: the preview is counted only
	// then, so work on other screens never waits for it.
	shown bool
	// previewLoad is the latest preview asked for: only it is shown.
	locationsLoad, previewLoad latest
	stopFeed                   func()
}

// exportProgressStep is how many lines are written between updates of the progress bar.
const exportProgressStep = 500

func newExportScreen(store data.Store, window fyne.Window, user string, jobs *jobs) *exportScreen {
	s := &exportScreen{store: store, window: window, user: user, jobs: jobs}
	s.stopFeed = follow(jobs, store, s.onChange)
	return s
}

func (s *exportScreen) buildUI() fyne.CanvasObject {
	// The default period is last month: the planner bills a month once it is over.
	today := s.store.Today()
	lastMonthEnd := data.NewDate(today.Year, today.Month, 1).AddDays(-1)
	s.fromEntry = newDateEntry()
	s.fromEntry.SetText(shortDate(data.NewDate(lastMonthEnd.Year, lastMonthEnd.Month, 1)))
	s.toEntry = newDateEntry()
	s.toEntry.SetText(shortDate(lastMonthEnd))
	s.fromEntry.OnChanged = func(string) { s.refresh() }
	s.toEntry.OnChanged = func(string) { s.refresh() }
	s.locationSelect = &widget.Select{OnChanged: func(string) { s.refresh() }}

	var csvBox, xlsxBox fyne.CanvasObject
	s.csvButton, csvBox = newTouchButton(lang.L("Export as CSV…"), theme.DocumentSaveIcon(), func() { s.onExport(reports.FormatCSV) })
	s.xlsxButton, xlsxBox = newTouchButton(lang.L("Export as Excel…"), theme.DocumentSaveIcon(), func() { s.onExport(reports.FormatXLSX) })
	s.csvButton.Importance = widget.HighImportance
	s.status = &widget.Label{Wrapping: fyne.TextWrapWord, TextStyle: fyne.TextStyle{Bold: true}}
	s.totals = container.NewGridWithColumns(5)
	s.batchesBox = container.NewVBox()

	labelled := func(label string, obj fyne.CanvasObject, width float32) fyne.CanvasObject {
		return container.NewBorder(nil, nil, container.NewCenter(widget.NewLabel(label)), nil, touchable(obj, width))
	}
	choose := newFlow(labelled(lang.L("First day"), s.fromEntry, 140), labelled(lang.L("Last day"), s.toEntry, 140),
		labelled(lang.L("Location"), s.locationSelect, 220))
	heading := func(text string) *widget.Label {
		return &widget.Label{Text: text, TextStyle: fyne.TextStyle{Bold: true}, SizeName: theme.SizeNameSubHeadingText}
	}
	top := container.NewVBox(choose, widget.NewSeparator(), heading(lang.L("What the export will hold")), s.status, s.totals,
		newFlow(csvBox, xlsxBox), widget.NewSeparator(), heading(lang.L("Earlier exports")))
	s.loadLocations()
	return container.NewBorder(top, nil, nil, nil, container.NewVScroll(s.batchesBox))
}

func (s *exportScreen) close() {
	s.stopFeed()
	s.jobs.close()
}

// setShown tells the screen whether its tab is on screen; shown, it counts afresh.
func (s *exportScreen) setShown(shown bool) {
	s.shown = shown
	s.refresh()
}

func (s *exportScreen) onChange(c data.Change) {
	switch c.Kind {
	case data.ChangeRequest, data.ChangePlanning, data.ChangeInvoicing:
		fyne.Do(s.refresh)
	case data.ChangeCatalog:
		fyne.Do(s.loadLocations)
	}
}

func (s *exportScreen) loadLocations() {
	load(s.jobs, &s.locationsLoad, s.store.Locations, s.showLocations)
}

// showLocations offers the locations loaded, keeping the one chosen.
func (s *exportScreen) showLocations(locations []data.Location, err error) {
	if err != nil {
		s.showProblem(userMessage(err))
		return
	}
	s.locations = locations
	options := []string{lang.L("All locations")}
	for _, l := range locations {
		options = append(options, l.Name)
	}
	keep := max(s.locationSelect.SelectedIndex(), 0)
	s.locationSelect.OnChanged = nil
	s.locationSelect.SetOptions(options)
	s.locationSelect.SetSelectedIndex(min(keep, len(options)-1))
	s.locationSelect.OnChanged = func(string) { s.refresh() }
	s.refresh()
}

// spec reads the period and location chosen.
func (s *exportScreen) spec() (data.InvoiceSpec, error) {
	spec := data.InvoiceSpec{By: s.user}
	var err error
	if spec.From, err = parseUserDate(s.fromEntry.Text); err != nil {
		return spec, err
	}
	if spec.To, err = parseUserDate(s.toEntry.Text); err != nil {
		return spec, err
	}
	if spec.To.Before(spec.From) {
		return spec, errors.New(lang.L("The last day comes before the first day."))
	}
	if i := s.locationSelect.SelectedIndex(); i > 0 {
		spec.LocationID = s.locations[i-1].ID
	}
	return spec, nil
}

// refresh counts what an export would hold now, off the UI goroutine, and
// reads the earlier batches; only while the tab is on screen.
func (s *exportScreen) refresh() {
	if s.status == nil || !s.shown {
		return
	}
	spec, err := s.spec()
	if err != nil {
		s.showProblem(err.Error())
	} else {
		s.status.SetText(lang.L("Counting…"))
	}
	store := s.store
	load(s.jobs, &s.previewLoad, func(ctx context.Context) (exportPreview, error) {
		var p exportPreview
		if err == nil {
			p.sum, p.sumErr = store.PreviewInvoicing(ctx, spec, nil)
		}
		p.batches, p.batchesErr = store.InvoiceBatches(ctx)
		return p, nil
	}, func(p exportPreview, _ error) {
		switch {
		case err != nil:
		case p.sumErr != nil:
			s.showProblem(userMessage(p.sumErr))
		default:
			s.showPreview(p.sum)
		}
		s.showBatches(p.batches, p.batchesErr)
	})
}

// exportPreview is what an export would hold and the earlier batches,
// each with its own error: one failing still shows the other.
type exportPreview struct {
	sum                data.InvoiceSummary
	sumErr, batchesErr error
	batches            []data.InvoiceBatch
}

func (s *exportScreen) showProblem(text string) {
	s.status.Importance = widget.DangerImportance
	s.status.SetText(text)
	s.totals.RemoveAll()
	s.csvButton.Disable()
	s.xlsxButton.Disable()
}

func (s *exportScreen) showPreview(sum data.InvoiceSummary) {
	s.totals.RemoveAll()
	if sum.Lines == 0 {
		s.status.Importance = widget.MediumImportance
		s.status.SetText(lang.L("Nothing new to bill in this period, and nothing to correct."))
		s.csvButton.Disable()
		s.xlsxButton.Disable()
		return
	}
	s.status.Importance = widget.MediumImportance
	s.status.SetText(lang.N("{{.Lines}} lines: {{.New}} new, {{.Corrections}}", sum.Lines, map[string]any{
		"Lines": sum.Lines, "New": sum.New, "Corrections": lang.N("{{.Count}} corrections", sum.Corrections, map[string]any{"Count": sum.Corrections})}))
	bold := func(text string) fyne.CanvasObject { return boldLabel(text) }
	s.totals.Add(bold(lang.L("Product")))
	s.totals.Add(bold(lang.L("Lines")))
	s.totals.Add(bold(lang.L("Credit hours")))
	s.totals.Add(bold(lang.L("Invoiced hours")))
	s.totals.Add(bold(lang.L("Days")))
	for _, t := range sum.Totals {
		days := ""
		if t.PerDay {
			days = numberText(t.Days)
		}
		for _, text := range []string{reports.ProductName(t.Product), fmt.Sprint(t.Lines), signedMinutesText(t.CreditMinutes),
			signedMinutesText(t.InvoiceMinutes), days} {
			s.totals.Add(wrapLabel(text))
		}
	}
	s.csvButton.Enable()
	s.xlsxButton.Enable()
}

func (s *exportScreen) showBatches(batches []data.InvoiceBatch, err error) {
	s.batchesBox.RemoveAll()
	if err != nil {
		s.batchesBox.Add(&widget.Label{Text: userMessage(err), Wrapping: fyne.TextWrapWord})
		return
	}
	if len(batches) == 0 {
		s.batchesBox.Add(widget.NewLabel(lang.L("No exports yet.")))
		return
	}
	for _, b := range batches {
		where := b.Location
		if where == "" {
			where = lang.L("All locations")
		}
		text := lang.N("Batch {{.Batch}} · {{.From}} to {{.To}} · {{.Location}} · {{.Lines}} lines · {{.When}} by {{.By}}", b.Lines, map[string]any{
			"Batch": b.ID, "From": shortDate(b.From), "To": shortDate(b.To), "Location": where, "Lines": b.Lines,
			"When": b.CreatedAt.Format("02-01-2006 15:04"), "By": b.By})
		_, csvBox := newTouchButton(lang.L("CSV…"), theme.DocumentSaveIcon(), func() { s.onSaveAgain(b, reports.FormatCSV) })
		_, xlsxBox := newTouchButton(lang.L("Excel…"), theme.DocumentSaveIcon(), func() { s.onSaveAgain(b, reports.FormatXLSX) })
		s.batchesBox.Add(newListRow(wrapLabel(text), nil, newButtonRow(csvBox, xlsxBox)))
	}
}

// askFile lets the user choose where to save, then hands the file on.
func (s *exportScreen) askFile(name string, format reports.InvoiceFormat, chosen func(w io.WriteCloser, name string)) {
	askSaveFile(s.window, name, []string{"." + string(format)},
		func(w fyne.URIWriteCloser) { chosen(w, w.URI().Name()) }, s.showError)
}

func (s *exportScreen) onExport(format reports.InvoiceFormat) {
	spec, err := s.spec()
	if err != nil {
		s.showProblem(err.Error())
		return
	}
	name := fmt.Sprintf("facturatie-%s-%s.%s", spec.From, spec.To, format)
	s.askFile(name, format, func(w io.WriteCloser, name string) { s.exportTo(w, name, format) })
}

func (s *exportScreen) onSaveAgain(b data.InvoiceBatch, format reports.InvoiceFormat) {
	s.askFile(reports.InvoiceFileName(b, format), format, func(w io.WriteCloser, name string) { s.saveBatchTo(w, name, format, b) })
}

// exportTo records a batch of the chosen period and location and writes its
// file into w, off the UI goroutine, with a progress bar: the first half
// finds and records the lines, the second writes them.
func (s *exportScreen) exportTo(w io.WriteCloser, name string, format reports.InvoiceFormat) {
	spec, err := s.spec()
	if err != nil {
		saving(w).finish(err) // no empty file left where the user chose
		s.showProblem(err.Error())
		return
	}
	progress, done := s.startProgress()
	s.jobs.write(func(ctx context.Context) {
		batch, err := s.store.ExportInvoicing(ctx, spec, func(f float64) { progress(f / 2) })
		if err != nil {
			saving(w).finish(err)
			fyne.Do(func() {
				done()
				s.showError(err)
			})
			return
		}
		err = s.write(ctx, w, format, batch, func(f float64) { progress(0.5 + f/2) })
		fyne.Do(func() {
			done()
			if err != nil {
				fyne.LogError("invoicing export", err)
				showInfo(lang.L("Not saved"), lang.L("Batch {{.Batch}} is recorded, but its file could not be written. Save it again from the earlier exports.",
					map[string]any{"Batch": batch.ID})+" ("+err.Error()+")", s.window)
				return
			}
			s.showSaved(batch, name)
		})
	})
}

// saveBatchTo writes an earlier batch again: the same file as the first time.
func (s *exportScreen) saveBatchTo(w io.WriteCloser, name string, format reports.InvoiceFormat, b data.InvoiceBatch) {
	progress, done := s.startProgress()
	s.jobs.write(func(ctx context.Context) {
		err := s.write(ctx, w, format, b, progress)
		fyne.Do(func() {
			done()
			if err != nil {
				s.showError(err)
				return
			}
			s.showSaved(b, name)
		})
	})
}

// write writes the batch's file into w and closes it, reporting the part written.
func (s *exportScreen) write(ctx context.Context, w io.WriteCloser, format reports.InvoiceFormat, b data.InvoiceBatch, progress func(float64)) error {
	file := saving(w)
	return file.finish(reports.WriteInvoice(file, format, b, countLines(s.store.InvoiceLines(ctx, b.ID), b.Lines, progress)))
}

// countLines passes lines on and reports the part of total passed.
func countLines(lines iter.Seq2[data.InvoiceLine, error], total int, progress func(float64)) iter.Seq2[data.InvoiceLine, error] {
	return func(yield func(data.InvoiceLine, error) bool) {
		n := 0
		for l, err := range lines {
			if !yield(l, err) {
				return
			}
			if n++; n%exportProgressStep == 0 {
				progress(float64(n) / float64(total))
			}
		}
		progress(1)
	}
}

// startProgress shows a progress bar; progress may be called from any
// goroutine, done only on the UI goroutine.
func (s *exportScreen) startProgress() (progress func(float64), done func()) {
	bar := widget.NewProgressBar()
	d := dialog.NewCustomWithoutButtons(lang.L("Exporting…"), container.New(minSizeLayout{fyne.NewSize(360, 0)}, bar), s.window)
	d.Show()
	return func(f float64) { fyne.Do(func() { bar.SetValue(f) }) }, d.Hide
}

func (s *exportScreen) showSaved(b data.InvoiceBatch, name string) {
	showInfo(lang.L("Saved"), lang.N("Batch {{.Batch}} with {{.Lines}} lines is saved as {{.File}}.", b.Lines,
		map[string]any{"Batch": b.ID, "Lines": b.Lines, "File": name}), s.window)
}

func (s *exportScreen) showError(err error) {
	fyne.LogError("invoicing export", err)
	showInfo(lang.L("Not saved"), userMessage(err), s.window)
}

// signedMinutesText writes minutes as hours and minutes, a correction's negative: -8:30.
func signedMinutesText(minutes int) string {
	if minutes < 0 {
		return "-" + data.MinutesText(-minutes)
	}
	return data.MinutesText(minutes)
}

// numberText writes a number with two decimals as the chosen language
// writes it: 1,50 in Dutch, 1.50 in English.
func numberText(v float64) string {
	return message.NewPrinter(language.Make(chosenLanguage)).Sprintf("%.2f", v)
}
