package ui

import (
	"bytes"
	"context"
	"errors"
	"io"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"locatiedesk/data"
)

// childImport brings children and contracts in from the planning system:
// choose a file, map its columns when its headers are not the import's,
// see per child what will be created, changed and ended (or every bad line
// with its number), then import all of it or nothing (M1). Reading and
// planning run off the UI goroutine: a file of thousands of children must
// not freeze the window.
type childImport struct {
	store  data.Store
	window fyne.Window
	jobs   *jobs

	dialog    *dialog.CustomDialog
	fileLabel *widget.Label
	status    *widget.Label
	mapping   *fyne.Container
	// mappingView holds the column picker in place of the preview.
	mappingView  *container.Scroll
	mapSelects   map[string]*widget.Select // by file header
	previewList  *widget.List
	importButton *widget.Button
	chooseButton *widget.Button

	name  string
	raw   []byte
	plan  data.ChildImportPlan
	lines []previewLine
	// parsed is the file as read with the current mapping.
	parsed data.ChildImport
	groups map[data.ID]string
}

// previewLine is one line of the preview list.
type previewLine struct {
	text       string
	bold       bool
	importance widget.Importance
}

func newChildImport(store data.Store, window fyne.Window, jobs *jobs) *childImport {
	return &childImport{store: store, window: window, jobs: jobs, mapSelects: map[string]*widget.Select{}}
}

func (s *childImport) buildUI() fyne.CanvasObject {
	help := &widget.Label{Wrapping: fyne.TextWrapWord, Text: lang.L("A CSV or Excel file from the planning system, one line per contract, with a header line. Nothing is imported until the preview has no problems and you tap Import.")}
	columns := &widget.Label{Wrapping: fyne.TextWrapWord, TextStyle: fyne.TextStyle{Italic: true},
		Text: lang.L("Columns, in any order, Dutch or English names: {{.Columns}}. Other columns are left out.", map[string]any{"Columns": strings.Join(data.ChildImportColumns, ", ")})}
	s.fileLabel = &widget.Label{Text: lang.L("No file chosen."), Truncation: fyne.TextTruncateEllipsis}
	var choose fyne.CanvasObject
	s.chooseButton, choose = newTouchButton(lang.L("Choose file…"), theme.FolderOpenIcon(), s.onChooseFile)
	s.status = &widget.Label{Wrapping: fyne.TextWrapWord}
	s.mapping = container.NewVBox()
	s.mappingView = container.NewVScroll(s.mapping)
	s.mappingView.Hide()
	s.previewList = &widget.List{
		Length: func() int { return len(s.lines) },
		CreateItem: func() fyne.CanvasObject {
			return &widget.Label{Wrapping: fyne.TextWrapWord}
		},
		UpdateItem: func(i widget.ListItemID, o fyne.CanvasObject) {
			l, line := o.(*widget.Label), s.lines[i]
			l.TextStyle.Bold, l.Importance = line.bold, line.importance
			l.SetText(line.text)
			s.previewList.SetItemHeight(i, l.MinSize().Height)
		},
	}
	top := container.NewVBox(help, columns, container.NewBorder(nil, nil, choose, nil, s.fileLabel), s.status)
	return container.NewBorder(top, nil, nil, nil, container.NewStack(s.previewList, s.mappingView))
}

// show opens the import over the window.
func (s *childImport) show() {
	s.dialog = dialog.NewCustomWithoutButtons(lang.L("Import children and contracts"), s.buildUI(), s.window)
	var importBox, closeBox fyne.CanvasObject
	s.importButton, importBox = newTouchButton(lang.L("Import"), theme.ConfirmIcon(), s.onImport)
	s.importButton.Importance = widget.HighImportance
	s.importButton.Disable()
	_, closeBox = newTouchButton(lang.L("Close"), theme.CancelIcon(), func() { s.dialog.Hide() })
	s.dialog.SetButtons([]fyne.CanvasObject{closeBox, importBox})
	s.dialog.Resize(fyne.NewSize(900, fyne.Max(640, s.window.Canvas().Size().Height-120)))
	escapeCloses(s.window, s.dialog, nil)
	s.dialog.Show()
}

func (s *childImport) onChooseFile() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			s.setStatus(widget.DangerImportance, userMessage(err))
			return
		}
		if r != nil {
			s.load(r, r.URI().Name())
		}
	}, s.window)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".csv", ".CSV", ".xlsx", ".XLSX"}))
	d.Show()
}

// load reads the file off the UI goroutine and previews it.
func (s *childImport) load(r io.ReadCloser, name string) {
	s.name = name
	s.fileLabel.SetText(name)
	s.busy(lang.L("Reading {{.File}}…", map[string]any{"File": name}))
	s.jobs.write(func(ctx context.Context) {
		raw, err := io.ReadAll(io.LimitReader(r, data.MaxChildImportFile+1))
		r.Close()
		fyne.Do(func() {
			if err != nil {
				s.setStatus(widget.DangerImportance, userMessage(err))
				return
			}
			s.raw = raw
			s.mapSelects = map[string]*widget.Select{}
			s.preview(nil)
		})
	})
}

// setStatus says where the import stands; the dialog lays itself out
// again, as the text may take more or fewer lines.
func (s *childImport) setStatus(importance widget.Importance, text string) {
	s.status.Importance = importance
	s.status.SetText(text)
	s.dialog.Refresh()
}

func (s *childImport) busy(text string) {
	s.setStatus(widget.MediumImportance, text)
	s.importButton.Disable()
	s.lines = nil
	s.previewList.Refresh()
}

// preview parses the file with the user's column map and plans the import.
func (s *childImport) preview(mapping map[string]string) {
	raw, name := s.raw, s.name
	s.busy(lang.L("Checking {{.File}}…", map[string]any{"File": name}))
	s.jobs.write(func(ctx context.Context) {
		ci, err := data.ParseChildImport(name, bytes.NewReader(raw), mapping)
		var plan data.ChildImportPlan
		if err == nil {
			// Planned also with bad lines: the good ones are checked against
			// the store too, so every problem of the file shows at once.
			plan, err = s.store.PlanChildImport(ctx, ci)
			slices.SortStableFunc(plan.Problems, func(a, b data.LineError) int { return a.Line - b.Line })
		}
		groups := s.groupNames(ctx)
		fyne.Do(func() {
			if err != nil {
				s.setStatus(widget.DangerImportance, userMessage(err))
				return
			}
			s.parsed, s.plan, s.groups = ci, plan, groups
			s.showPlan()
		})
	})
}

// groupNames names every group the user may see, for the preview's contracts.
func (s *childImport) groupNames(ctx context.Context) map[data.ID]string {
	names := map[data.ID]string{}
	groups, err := s.store.Groups(ctx, 0)
	if err != nil {
		fyne.LogError("import: groups", err)
	}
	for _, g := range groups {
		names[g.ID] = g.Name
	}
	return names
}

// showPlan shows the column picker when the file's headers are not the
// import's, else the preview or the problems.
func (s *childImport) showPlan() {
	missing := missingColumns(s.plan.Problems)
	s.refreshMapping(missing)
	s.lines = nil
	if len(s.plan.Problems) > 0 {
		s.setStatus(widget.DangerImportance, lang.N("{{.File}} has {{.Count}} problem. Nothing will be imported: correct the file and choose it again.", len(s.plan.Problems),
			map[string]any{"File": s.name, "Count": len(s.plan.Problems)}))
		if len(missing) > 0 {
			s.setStatus(widget.DangerImportance, lang.L("The import does not know some columns of {{.File}}. Say below which column of the file holds what, then tap Check again.", map[string]any{"File": s.name}))
		}
		for _, p := range s.plan.Problems {
			s.lines = append(s.lines, previewLine{text: childImportProblemText(p), importance: widget.DangerImportance})
		}
		s.importButton.Disable()
		s.previewList.Refresh()
		return
	}
	n := s.plan.Counts()
	s.setStatus(widget.MediumImportance, lang.L("Children: {{.New}} new, {{.Changed}} changed, {{.Same}} unchanged. Contracts: {{.NewContracts}} new, {{.ChangedContracts}} changed, {{.Ended}} ended.",
		map[string]any{"New": n.ChildrenCreated, "Changed": n.ChildrenChanged, "Same": n.ChildrenUnchanged,
			"NewContracts": n.ContractsCreated, "ChangedContracts": n.ContractsChanged, "Ended": n.ContractsEnded}))
	s.lines = s.planLines()
	if !s.plan.HasChanges() {
		s.lines = append(s.lines, previewLine{text: lang.L("Everything in this file is in Locatiedesk already; importing it changes nothing.")})
	}
	if s.plan.HasChanges() {
		s.importButton.Enable()
	} else {
		s.importButton.Disable()
	}
	s.previewList.Refresh()
}

// planLines are the preview's lines: new schools, then per child what
// changes, with its contracts under it.
func (s *childImport) planLines() []previewLine {
	var lines []previewLine
	for _, school := range s.plan.NewSchools {
		lines = append(lines, previewLine{text: lang.L("New school: {{.School}}", map[string]any{"School": school}), bold: true})
	}
	for _, c := range s.plan.Children {
		if c.Action == data.ImportUnchanged && len(c.Contracts) == 0 {
			continue
		}
		lines = append(lines, previewLine{text: s.childPlanText(c), bold: true})
		for _, k := range c.Contracts {
			lines = append(lines, previewLine{text: "    " + s.contractPlanText(k)})
		}
	}
	return lines
}

// missingColumns are the columns the file's header lacks.
func missingColumns(problems []data.LineError) []string {
	var out []string
	for _, p := range problems {
		if p.Problem == data.ProblemMissingColumn {
			out = append(out, p.Value)
		}
	}
	return out
}

// refreshMapping offers, while the file lacks columns the import needs, a
// choice of the import's columns for every header of the file the import
// does not know. It takes the preview's place until the columns are right.
func (s *childImport) refreshMapping(missing []string) {
	defer s.dialog.Refresh() // the dialog lays out what is shown now
	setShown(len(missing) > 0, s.mappingView)
	setShown(len(missing) == 0, s.previewList)
	if len(missing) == 0 {
		return
	}
	headers := data.ChildImportHeaders(s.raw)
	s.mapping.Objects = nil
	s.mapping.Add(boldLabel(lang.L("Columns of the file")))
	if len(missing) > 0 {
		s.mapping.Add(&widget.Label{Wrapping: fyne.TextWrapWord, Importance: widget.DangerImportance,
			Text: lang.L("Still missing: {{.Columns}}", map[string]any{"Columns": strings.Join(missing, ", ")})})
	}
	ignore := lang.L("(not imported)")
	options := append([]string{ignore}, data.ChildImportColumns...)
	rows := container.NewGridWithColumns(2)
	for _, h := range headers {
		if data.ChildColumn(h) != "" || strings.TrimSpace(h) == "" {
			continue // the import knows this header
		}
		sel, ok := s.mapSelects[h]
		if !ok {
			sel = &widget.Select{Options: options, Selected: ignore}
			s.mapSelects[h] = sel
		}
		rows.Add(&widget.Label{Text: h, TextStyle: fyne.TextStyle{Bold: true}, Truncation: fyne.TextTruncateEllipsis})
		rows.Add(touchable(sel, 200))
	}
	_, check := newTouchButton(lang.L("Check again"), theme.ViewRefreshIcon(), func() { s.preview(s.userMapping()) })
	s.mapping.Add(rows)
	s.mapping.Add(container.NewHBox(check))
	s.mapping.Refresh()
}

// userMapping is the column map chosen: file header → import column.
func (s *childImport) userMapping() map[string]string {
	m := map[string]string{}
	for h, sel := range s.mapSelects {
		if sel.SelectedIndex() > 0 {
			m[h] = sel.Selected
		}
	}
	return m
}

func (s *childImport) childPlanText(c data.ChildPlan) string {
	v := map[string]any{"Line": c.Line, "Number": c.Number, "Name": c.Child.Name(), "Changed": strings.Join(c.Changed, ", ")}
	switch c.Action {
	case data.ImportCreate:
		return lang.L("Line {{.Line}} · {{.Number}} {{.Name}}: new child", v)
	case data.ImportChange:
		return lang.L("Line {{.Line}} · {{.Number}} {{.Name}}: changed ({{.Changed}})", v)
	}
	return lang.L("Line {{.Line}} · {{.Number}} {{.Name}}: contracts change", v)
}

func (s *childImport) contractPlanText(k data.ContractPlan) string {
	v := map[string]any{"Product": contractProductText(k.New.Product), "Group": s.groups[k.New.GroupID], "Terms": contractTermsText(k.New),
		"Period": contractPeriodText(k.New), "Date": shortDate(k.New.Start)}
	switch k.Action {
	case data.ImportCreate:
		return lang.L("new contract: {{.Product}} in {{.Group}}, {{.Terms}}, {{.Period}}", v)
	case data.ImportVersion:
		return lang.L("new version from {{.Date}}: {{.Product}} in {{.Group}}, {{.Terms}}", v)
	case data.ImportEnd:
		v["Product"], v["Group"], v["Date"] = contractProductText(k.Old.Product), s.groups[k.Old.GroupID], shortDate(k.New.End)
		return lang.L("contract {{.Product}} in {{.Group}} ends on {{.Date}}", v)
	}
	return lang.L("contract changed: {{.Product}} in {{.Group}}, {{.Terms}}, {{.Period}}", v)
}

// onImport asks once more, then imports the file all or nothing.
func (s *childImport) onImport() {
	n := s.plan.Counts()
	text := lang.L("Import {{.File}}: {{.New}} new and {{.Changed}} changed children; {{.NewContracts}} new, {{.ChangedContracts}} changed and {{.Ended}} ended contracts.",
		map[string]any{"File": s.name, "New": n.ChildrenCreated, "Changed": n.ChildrenChanged,
			"NewContracts": n.ContractsCreated, "ChangedContracts": n.ContractsChanged, "Ended": n.ContractsEnded})
	confirmAction(s.window, lang.L("Import"), text, lang.L("Import"), func() {
		ci := s.parsed
		s.busy(lang.L("Importing {{.File}}…", map[string]any{"File": s.name}))
		s.jobs.write(func(ctx context.Context) {
			plan, err := s.store.ImportChildren(ctx, ci)
			fyne.Do(func() { s.imported(plan, err) })
		})
	})
}

func (s *childImport) imported(plan data.ChildImportPlan, err error) {
	s.plan = plan
	var ie *data.ImportError
	switch {
	case errors.As(err, &ie):
		// The data changed between preview and import: show why now.
		s.plan.Problems = ie.Lines
		s.showPlan()
	case err != nil:
		s.setStatus(widget.DangerImportance, userMessage(err))
	default:
		n := plan.Counts()
		s.setStatus(widget.SuccessImportance, lang.L("Imported: {{.New}} new and {{.Changed}} changed children; {{.NewContracts}} new, {{.ChangedContracts}} changed and {{.Ended}} ended contracts.",
			map[string]any{"New": n.ChildrenCreated, "Changed": n.ChildrenChanged,
				"NewContracts": n.ContractsCreated, "ChangedContracts": n.ContractsChanged, "Ended": n.ContractsEnded}))
		s.importButton.Disable()
		s.lines = s.planLines() // what was done, to read back
		s.previewList.Refresh()
	}
}

// childImportProblemText says what is wrong on a line of a children file.
func childImportProblemText(p data.LineError) string {
	v := map[string]any{"Value": p.Value, "Want": p.Want}
	var text string
	switch p.Problem {
	case data.ProblemTooLarge:
		text = lang.L("The file is larger than {{.Size}} MB.", map[string]any{"Size": data.MaxChildImportFile >> 20})
	case data.ProblemMapping:
		text = lang.L("The column map names an unknown column “{{.Value}}”.", v)
	case data.ProblemNoNumber:
		text = lang.L("No child number.")
	case data.ProblemName:
		text = lang.L("The child needs a first and a last name.")
	case data.ProblemBirthDate:
		text = lang.L("Birth date “{{.Value}}” is not a date.", v)
		if p.Value == "" {
			text = lang.L("No birth date.")
		}
	case data.ProblemDate:
		text = lang.L("Date “{{.Value}}” is not a date.", v)
		if p.Value == "" {
			text = lang.L("No start date.")
		}
	case data.ProblemProduct:
		text = lang.L("Unknown product “{{.Value}}”.", v)
	case data.ProblemDays:
		text = lang.L("“{{.Value}}” is not a list of weekdays (ma,di,do or mon,tue,thu).", v)
	case data.ProblemTime:
		text = lang.L("“{{.Value}}” is not a time of day (HH:MM).", v)
	case data.ProblemCredit:
		text = lang.L("“{{.Value}}” is not a number of holiday days or hours.", v)
	case data.ProblemEndBefore:
		text = lang.L("The contract ends ({{.Value}}) before it starts.", v)
	case data.ProblemUnknownLoc:
		text = lang.L("Unknown location “{{.Value}}”.", v)
	case data.ProblemUnknownGroup:
		text = lang.L("Unknown group “{{.Value}}” at this location.", v)
	case data.ProblemCareType:
		v["Value"] = contractProductText(data.Product(p.Value))
		text = lang.L("The group's care type cannot have product {{.Value}}.", v)
	case data.ProblemContract:
		if p.Because != nil { // a nil *Refusal in an error would pass errors.As
			if because, ok := refusalText(p.Because); ok {
				v["Value"] = strings.TrimSuffix(because, ".")
			}
		}
		text = lang.L("The contract is not complete: {{.Value}}.", v)
	case data.ProblemOverlap:
		text = lang.L("The contract overlaps the child's contract from {{.Value}} in Locatiedesk.", v)
		if p.Want > 0 {
			text = lang.L("The contract overlaps the one on line {{.Want}}.", v)
		}
	case data.ProblemChildDiffers:
		text = lang.L("The child's {{.Value}} differs from an earlier line with the same child number.", v)
	case data.ProblemParent:
		text = lang.L("A parent's phone or e-mail needs the parent's name.")
	case data.ProblemNotSheet:
		text = lang.L("The file is not a CSV or Excel (XLSX) spreadsheet.")
	case data.ProblemBirthFuture:
		text = lang.L("Birth date {{.Value}} is after today.", v)
	case data.ProblemNoTimes:
		text = lang.L("The weekdays need a start and an end time.")
	default:
		return importProblemText(p) // the problems every import shares
	}
	if p.Line == 0 {
		return text
	}
	return lang.L("Line {{.Line}}:", map[string]any{"Line": p.Line}) + " " + text
}
