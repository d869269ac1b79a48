package ui

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"regexp"
	"strconv"
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

// auditScreen reads the audit log (Logboek): who changed what and when,
// newest first, filtered by person, child, action and the day a change was
// about, in the words of the window's language. The log keeps IDs only, so
// children are named as they are now (a purged child stays a number). It
// only reads: nothing in the app edits or deletes the log; the filtered log
// can be saved as CSV.
type auditScreen struct {
	store  data.Store
	window fyne.Window
	jobs   *jobs

	userSelect   *widget.Select
	childSelect  *widget.Select
	actionSelect *widget.Select
	dateEntry    *widget.Entry
	message      *widget.Label
	list         *widget.List
	exportButton *widget.Button

	users    []data.User
	children []data.Child
	// actions are the log's actions behind each choice of the action filter.
	actions   map[string][]string
	lines     []auditLine
	auditLoad latest // only the latest filter's read draws
	stopFeed  func()
}

// auditLine is an entry as the screen and the CSV export show it.
type auditLine struct {
	When, Who, Action, Child, Day, Detail string
}

func (l auditLine) text() string {
	parts := []string{l.Who, l.Action}
	for _, p := range []string{l.Child, l.Day, l.Detail} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, " · ")
}

func newAuditScreen(store data.Store, window fyne.Window, jobs *jobs) *auditScreen {
	s := &auditScreen{store: store, window: window, jobs: jobs}
	s.stopFeed = follow(jobs, store, func(data.Change) { fyne.Do(s.reload) })
	return s
}

func (s *auditScreen) buildUI() fyne.CanvasObject {
	s.userSelect = &widget.Select{OnChanged: func(string) { s.reload() }}
	s.childSelect = &widget.Select{OnChanged: func(string) { s.reload() }}
	// Actions said in the same words are one choice.
	s.actions = map[string][]string{}
	options := []string{lang.L("All actions")}
	for _, a := range data.AuditActions {
		text := auditActionText(a)
		if s.actions[text] == nil {
			options = append(options, text)
		}
		s.actions[text] = append(s.actions[text], a)
	}
	s.actionSelect = &widget.Select{Options: options, OnChanged: func(string) { s.reload() }}
	s.dateEntry = &widget.Entry{PlaceHolder: lang.L("Day (DD-MM-YYYY)"), OnChanged: func(string) { s.reload() }}
	s.message = &widget.Label{Importance: widget.DangerImportance, Wrapping: fyne.TextWrapWord}
	var exportBox fyne.CanvasObject
	s.exportButton, exportBox = newTouchButton(lang.L("Save as CSV…"), theme.DocumentSaveIcon(), s.onExport)
	s.list = &widget.List{
		Length: func() int { return len(s.lines) },
		CreateItem: func() fyne.CanvasObject {
			return container.NewBorder(nil, nil, &widget.Label{TextStyle: fyne.TextStyle{Monospace: true}}, nil,
				&widget.Label{Wrapping: fyne.TextWrapWord})
		},
		UpdateItem: func(i widget.ListItemID, o fyne.CanvasObject) {
			l := s.lines[i]
			c := o.(*fyne.Container)
			c.Objects[1].(*widget.Label).SetText(l.When)
			c.Objects[0].(*widget.Label).SetText(l.text())
			s.list.SetItemHeight(i, c.MinSize().Height)
		},
	}
	s.userSelect.Options = []string{lang.L("Everyone")}
	s.childSelect.Options = []string{lang.L("Every child")}
	s.actionSelect.SetSelectedIndex(0)
	// The filters wrap onto more lines in a narrow window.
	filters := newFlow(touchable(s.userSelect, 200), touchable(s.childSelect, 220), touchable(s.actionSelect, 200), touchable(s.dateEntry, 200), exportBox)
	s.loadFilters()
	return container.NewBorder(container.NewVBox(filters, s.message), nil, nil, nil, s.list)
}

// auditNames are the people and children the filters offer.
type auditNames struct {
	accounts []data.StaffAccount
	children []data.Child
}

// loadFilters offers every colleague and child, then reads the log.
func (s *auditScreen) loadFilters() {
	store := s.store
	load(s.jobs, nil, func(ctx context.Context) (auditNames, error) {
		// Deactivated colleagues too: the log still names them.
		accounts, err := store.StaffAccounts(ctx)
		if err != nil {
			return auditNames{}, err
		}
		children, err := store.Children(ctx, 0)
		return auditNames{accounts, children}, err
	}, func(n auditNames, err error) {
		if err != nil {
			s.message.SetText(userMessage(err))
		}
		s.users = nil
		names := []string{lang.L("Everyone")}
		for _, a := range n.accounts {
			s.users = append(s.users, a.User)
			names = append(names, a.Name)
		}
		s.userSelect.Options = names
		s.userSelect.SetSelectedIndex(0)
		s.children = n.children
		s.childSelect.Options = append([]string{lang.L("Every child")}, namesOf(s.children, data.Child.Name)...)
		s.childSelect.SetSelectedIndex(0)
		s.reload()
	})
}

func (s *auditScreen) close() {
	s.stopFeed()
	s.jobs.close()
}

// filter is the log filter the user chose, or the reason it cannot be read.
func (s *auditScreen) filter() (data.AuditFilter, string) {
	var f data.AuditFilter
	if i := s.userSelect.SelectedIndex(); i > 0 {
		f.UserID = s.users[i-1].ID
	}
	if i := s.childSelect.SelectedIndex(); i > 0 {
		f.ChildID = s.children[i-1].ID
	}
	if s.actionSelect.SelectedIndex() > 0 {
		f.Actions = s.actions[s.actionSelect.Selected]
	}
	if text := strings.TrimSpace(s.dateEntry.Text); text != "" {
		d, err := parseUserDate(text)
		if err != nil {
			return f, lang.L("Enter a day as DD-MM-YYYY")
		}
		f.Date = d
	}
	return f, ""
}

// reload reads the filtered log off the UI goroutine and draws it.
func (s *auditScreen) reload() {
	if s.list == nil {
		return
	}
	f, problem := s.filter()
	s.message.SetText(problem)
	setShown(problem != "", s.message)
	if problem != "" {
		return
	}
	store, children := s.store, s.children
	load(s.jobs, &s.auditLoad, func(ctx context.Context) ([]auditLine, error) { return readAudit(ctx, store, children, f) },
		func(lines []auditLine, err error) {
			if err != nil {
				s.message.SetText(userMessage(err))
				s.message.Show()
				return
			}
			s.lines = lines
			setEnabled(s.exportButton, len(lines) > 0)
			s.list.Refresh()
		})
}

// readAudit reads the log and says every entry in words; children are
// named from those known, others are looked up.
func readAudit(ctx context.Context, store data.Store, children []data.Child, f data.AuditFilter) ([]auditLine, error) {
	entries, err := store.Audit(ctx, f)
	if err != nil {
		return nil, err
	}
	d := auditDescriber{ctx: ctx, store: store, children: map[data.ID]string{}, requests: map[data.ID]*data.Request{}}
	for _, c := range children {
		d.children[c.ID] = c.Name()
	}
	lines := make([]auditLine, len(entries))
	for i, e := range entries {
		lines[i] = d.describe(e)
	}
	return lines, nil
}

// onExport saves the log as filtered now as CSV.
func (s *auditScreen) onExport() {
	lines := s.lines
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			showInfo(lang.L("Not saved"), userMessage(err), s.window)
			return
		}
		if w == nil {
			return
		}
		s.jobs.write(func(ctx context.Context) {
			err := writeWhole(w, func(b io.Writer) error { return writeAuditCSV(b, lines) })
			fyne.Do(func() {
				if err != nil {
					fyne.LogError("audit export", err)
					showInfo(lang.L("Not saved"), lang.L("The file could not be written; nothing was saved."), s.window)
					return
				}
				showInfo(lang.L("Saved"), lang.N("{{.Count}} log entries are saved as {{.File}}.", len(lines),
					map[string]any{"Count": len(lines), "File": w.URI().Name()}), s.window)
			})
		})
	}, s.window)
	d.SetFileName(lang.L("log") + "-" + s.store.Today().String() + ".csv")
	d.SetFilter(storage.NewExtensionFileFilter([]string{".csv"}))
	d.Show()
}

// writeWhole writes what write produces into w in one go and closes it; if
// anything fails, the file is removed, so a file is whole or not there.
func writeWhole(w fyne.URIWriteCloser, write func(io.Writer) error) error {
	var buf bytes.Buffer
	err := write(&buf)
	if err == nil {
		_, err = w.Write(buf.Bytes())
	}
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		if derr := storage.Delete(w.URI()); derr != nil {
			fyne.LogError("remove the unfinished file", derr)
		}
	}
	return err
}

// writeAuditCSV writes the lines as CSV with a header in the window's
// language, semicolon-separated as Dutch spreadsheets expect.
func writeAuditCSV(w io.Writer, lines []auditLine) error {
	cw := csv.NewWriter(w)
	cw.Comma, cw.UseCRLF = ';', true
	records := [][]string{{lang.L("Time"), lang.L("Who"), lang.L("Action"), lang.L("Child"), lang.L("Day"), lang.L("Details")}}
	for _, l := range lines {
		records = append(records, []string{l.When, l.Who, l.Action, l.Child, l.Day, l.Detail})
	}
	return cw.WriteAll(records)
}

// auditDescriber says log entries in words, naming children as they are now
// and reading a request's reason from the request itself.
type auditDescriber struct {
	ctx      context.Context // the read's: names are looked up while it lasts
	store    data.Store
	children map[data.ID]string
	requests map[data.ID]*data.Request
}

func (d auditDescriber) describe(e data.AuditEntry) auditLine {
	l := auditLine{When: e.At.Format("02-01-2006 15:04:05"), Who: e.Who, Action: auditActionText(e.Action)}
	if e.Who == "system" {
		l.Who = lang.L("system")
	}
	if e.Device != "" { // the paired device the write came through
		l.Who += " (" + e.Device + ")"
	}
	var children, days, details []string
	add := func(list *[]string, s string) {
		if s != "" && !containsString(*list, s) {
			*list = append(*list, s)
		}
	}
	for _, c := range e.Changes {
		detail, childID := d.detail(c)
		if childID == 0 {
			childID = c.ChildID
		}
		if childID != 0 {
			add(&children, d.childName(childID))
		}
		if !c.Date.IsZero() {
			add(&days, shortDate(c.Date))
		}
		add(&details, detail)
	}
	l.Child, l.Day, l.Detail = strings.Join(children, ", "), strings.Join(days, ", "), strings.Join(details, "; ")
	return l
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (d auditDescriber) childName(id data.ID) string {
	if name, ok := d.children[id]; ok {
		return name
	}
	if c, err := d.store.Child(d.ctx, id); err == nil && c.Name() != "" {
		d.children[id] = c.Name()
		return c.Name()
	}
	return fmt.Sprintf("#%d", id)
}

func (d auditDescriber) request(id data.ID) *data.Request {
	if r, ok := d.requests[id]; ok {
		return r
	}
	var found *data.Request
	if r, err := d.store.Request(d.ctx, id); err == nil {
		found = &r
	}
	d.requests[id] = found
	return found
}

// The details the store writes, in its own words (data: the Detail of a Change).
var (
	detailRequest  = regexp.MustCompile(`^request (\d+): (\S+)(?: again)?$`)
	detailContract = regexp.MustCompile(`^holiday contract (\d+): (\d+) days$`)
	detailConsent  = regexp.MustCompile(`^(\S+) from (\S+)$`)
	detailTimes    = regexp.MustCompile(`^(in|out) (\d\d:\d\d)$`)
	detailAbsent   = regexp.MustCompile(`^absent \((\S*)\)$`)
	// Children and contracts: the child is named in its own column.
	detailChild         = regexp.MustCompile(`^(?:child .* (added|changed)|picture of .* (changed))$`)
	detailContractAdded = regexp.MustCompile(`^contract (\S+) from (\d{4}-\d\d-\d\d) added$`)
	detailContractStart = regexp.MustCompile(`^contract (\d+) changed from its start (\d{4}-\d\d-\d\d)$`)
	detailVersion       = regexp.MustCompile(`^contract (\d+): a new version \d+ from (\d{4}-\d\d-\d\d)$`)
	detailMove          = regexp.MustCompile(`^.* moves to group "(.*)" from (\d{4}-\d\d-\d\d)$`)
	detailEnds          = regexp.MustCompile(`^care of .* ends after (\d{4}-\d\d-\d\d)$`)
	detailImport        = regexp.MustCompile(`^import (.*): (\d+) children added, (\d+) changed; (\d+) contracts added, (\d+) changed, (\d+) ended$`)
	detailExport        = regexp.MustCompile(`^children exported: (\d+) contract lines$`)
)

// childrenDetailText says a change of children or contracts in words, or
// "" when text is none of those.
func childrenDetailText(text string) string {
	date := func(s string) string {
		if d, err := data.ParseDate(s); err == nil {
			return shortDate(d)
		}
		return s
	}
	switch {
	case detailChild.MatchString(text):
		m := detailChild.FindStringSubmatch(text)
		switch {
		case m[2] != "":
			return lang.L("picture changed")
		case m[1] == "added":
			return lang.L("added")
		}
		return lang.L("details changed")
	case detailContractAdded.MatchString(text):
		m := detailContractAdded.FindStringSubmatch(text)
		return lang.L("contract {{.Product}} from {{.Date}}", map[string]any{"Product": productText(data.Product(m[1])), "Date": date(m[2])})
	case detailContractStart.MatchString(text):
		m := detailContractStart.FindStringSubmatch(text)
		return lang.L("contract {{.ID}} changed from its start, {{.Date}}", map[string]any{"ID": m[1], "Date": date(m[2])})
	case detailVersion.MatchString(text):
		m := detailVersion.FindStringSubmatch(text)
		return lang.L("contract {{.ID}}: a new version from {{.Date}}", map[string]any{"ID": m[1], "Date": date(m[2])})
	case detailMove.MatchString(text):
		m := detailMove.FindStringSubmatch(text)
		return lang.L("to group {{.Group}} from {{.Date}}", map[string]any{"Group": m[1], "Date": date(m[2])})
	case detailEnds.MatchString(text):
		return lang.L("care ends after {{.Date}}", map[string]any{"Date": date(detailEnds.FindStringSubmatch(text)[1])})
	case detailImport.MatchString(text):
		m := detailImport.FindStringSubmatch(text)
		return lang.L("{{.File}}: children {{.ChildrenAdded}} added, {{.ChildrenChanged}} changed; contracts {{.Added}} added, {{.Changed}} changed, {{.Ended}} ended",
			map[string]any{"File": m[1], "ChildrenAdded": m[2], "ChildrenChanged": m[3], "Added": m[4], "Changed": m[5], "Ended": m[6]})
	case detailExport.MatchString(text):
		n, _ := strconv.Atoi(detailExport.FindStringSubmatch(text)[1])
		return lang.N("children exported: {{.Count}} contract lines", n, map[string]any{"Count": n})
	}
	return ""
}

// detail says a change's detail in the window's language, and names the
// child a request is about when the change does not.
func (d auditDescriber) detail(c data.Change) (string, data.ID) {
	text := c.Detail
	switch {
	case text == "":
		return "", 0
	case detailRequest.MatchString(text):
		m := detailRequest.FindStringSubmatch(text)
		id, _ := strconv.Atoi(m[1])
		out := lang.L("request {{.ID}}: {{.Status}}", map[string]any{"ID": id, "Status": requestStatusText(data.RequestStatus(m[2]))})
		var childID data.ID
		if r := d.request(data.ID(id)); r != nil {
			childID = r.ChildID
			if (m[2] == string(data.StatusRejected) || m[2] == string(data.StatusCancelled)) && r.Status == data.RequestStatus(m[2]) && r.Reason != "" {
				out += " — " + lang.L("reason: {{.Reason}}", map[string]any{"Reason": r.Reason})
			}
		}
		return out, childID
	case detailContract.MatchString(text):
		m := detailContract.FindStringSubmatch(text)
		days, _ := strconv.Atoi(m[2])
		return lang.N("holiday contract of {{.Days}} days a year", days, map[string]any{"Days": days}), 0
	case c.Kind == data.ChangeConsent && detailConsent.MatchString(text):
		m := detailConsent.FindStringSubmatch(text)
		return consentAnswerText(data.ConsentLevel(m[1])) + " · " + consentSourceText(data.ConsentSource(m[2])), 0
	case c.Kind == data.ChangeAttendance:
		before, after, ok := strings.Cut(text, " → ")
		if ok {
			return attendanceSummaryText(before) + " → " + attendanceSummaryText(after), 0
		}
	case c.Kind == data.ChangeUnlock:
		return lang.L("unlocked to correct the day"), 0
	case c.Kind == data.ChangeSignIn:
		if name, ok := strings.CutPrefix(text, "wrong PIN or password for "); ok {
			return lang.L("wrong PIN or password for {{.Name}}", map[string]any{"Name": name}), 0
		}
		if name, ok := strings.CutSuffix(text, " signed in"); ok {
			return lang.L("{{.Name}} signed in", map[string]any{"Name": name}), 0
		}
	case c.Kind == data.ChangePrint && detailExport.MatchString(text):
		return childrenDetailText(text), 0
	case c.Kind == data.ChangePrint:
		return printDetailText(text), 0
	}
	if words := childrenDetailText(text); words != "" {
		return words, 0
	}
	return text, 0
}

// attendanceSummaryText says a record's summary ("in 08:10, out 17:30",
// "absent (sick)", "note") in the window's language.
func attendanceSummaryText(summary string) string {
	if summary == "nothing recorded" {
		return lang.L("nothing recorded")
	}
	parts := strings.Split(summary, ", ")
	for i, p := range parts {
		switch m := detailTimes.FindStringSubmatch(p); {
		case m != nil && m[1] == "in":
			parts[i] = lang.L("in {{.Time}}", map[string]any{"Time": m[2]})
		case m != nil:
			parts[i] = lang.L("out {{.Time}}", map[string]any{"Time": m[2]})
		case detailAbsent.MatchString(p):
			reason := detailAbsent.FindStringSubmatch(p)[1]
			parts[i] = lang.L("absent ({{.Reason}})", map[string]any{"Reason": strings.ToLower(absenceReasonText(data.AbsenceReason(reason)))})
		case p == "note":
			parts[i] = lang.L("note")
		case p == "reason in words":
			parts[i] = lang.L("reason in words")
		}
	}
	return strings.Join(parts, ", ")
}

// printDetailText says what was printed or exported.
func printDetailText(text string) string {
	switch {
	case text == "personal data exported":
		return lang.L("personal data exported")
	case strings.HasPrefix(text, "photo-consent sheet saved as "):
		return lang.L("photo-consent sheet saved as {{.File}}", map[string]any{"File": strings.TrimPrefix(text, "photo-consent sheet saved as ")})
	case strings.HasPrefix(text, "sign-up sheet saved as "):
		return lang.L("sign-up sheet saved as {{.File}}", map[string]any{"File": strings.TrimPrefix(text, "sign-up sheet saved as ")})
	case strings.HasPrefix(text, "sign-up sheet written to "):
		return lang.L("sign-up sheet saved as {{.File}}", map[string]any{"File": strings.TrimPrefix(text, "sign-up sheet written to ")})
	case strings.HasPrefix(text, "sign-up sheet "):
		return lang.L("sign-up sheet printed ({{.File}})", map[string]any{"File": strings.TrimPrefix(text, "sign-up sheet ")})
	}
	return text
}

// auditActionText names an action of the log as a manager says it.
func auditActionText(action string) string {
	switch action {
	case data.AuditCheckIn:
		return lang.L("Checked in")
	case data.AuditCheckOut:
		return lang.L("Checked out")
	case data.AuditSetTimes:
		return lang.L("Times corrected")
	case data.AuditMarkAbsent, data.AuditMarkAbsentOther:
		return lang.L("Marked absent")
	case data.AuditClearAbsence:
		return lang.L("Absence taken back")
	case data.AuditReportAbsence:
		return lang.L("Absence reported")
	case data.AuditSetNote:
		return lang.L("Note")
	case data.AuditUnlock:
		return lang.L("Day unlocked")
	case data.AuditSubmitRequest:
		return lang.L("Extra care requested")
	case data.AuditApproveRequest:
		return lang.L("Request approved")
	case data.AuditRejectRequest:
		return lang.L("Request rejected")
	case data.AuditCancelRequest:
		return lang.L("Request cancelled")
	case data.AuditUndoDecision:
		return lang.L("Decision undone")
	case data.AuditRegisterHolidayContract:
		return lang.L("Holiday contract arranged")
	case data.AuditRegisterSignUps:
		return lang.L("Study-day sign-ups registered")
	case data.AuditDecideStudyDay:
		return lang.L("Study day decided")
	case data.AuditAddHoliday:
		return lang.L("Holiday added")
	case data.AuditRemoveHoliday:
		return lang.L("Holiday removed")
	case data.AuditAddStudyDay:
		return lang.L("Study day added")
	case data.AuditRemoveStudyDay:
		return lang.L("Study day removed")
	case data.AuditImportCalendar:
		return lang.L("School calendar imported")
	case data.AuditRecordConsent:
		return lang.L("Photo consent recorded")
	case data.AuditImportConsent:
		return lang.L("Photo consent imported")
	case data.AuditExportInvoicing:
		return lang.L("Invoicing exported")
	case data.AuditPrint:
		return lang.L("Printed or saved")
	case data.AuditChildRecord:
		return lang.L("Personal data exported")
	case data.AuditPurgeExpired:
		return lang.L("Personal data removed after the retention period")
	case data.AuditSignIn:
		return lang.L("Signed in")
	case data.AuditSaveSettings:
		return lang.L("Settings changed")
	case data.AuditAddChild:
		return lang.L("Child added")
	case data.AuditUpdateChild:
		return lang.L("Child's details changed")
	case data.AuditSetChildPicture:
		return lang.L("Picture changed")
	case data.AuditMoveChild:
		return lang.L("Child moved to another group")
	case data.AuditEndCare:
		return lang.L("Care ended")
	case data.AuditAddContract:
		return lang.L("Contract added")
	case data.AuditChangeContract:
		return lang.L("Contract changed")
	case data.AuditImportChildren:
		return lang.L("Children imported")
	case data.AuditExportChildren:
		return lang.L("Children exported")
	case data.AuditGrantOnLedger, data.AuditGrantOnPreview:
		return lang.L("Flexible credit granted")
	case data.AuditSeed, data.AuditImportHistory, data.AuditImportRecords, data.AuditImportRequests, data.AuditFinished, data.AuditMigrate:
		return lang.L("Data brought in")
	case data.AuditSetUp:
		return lang.L("Organisation set up")
	case data.AuditRenameOrganisation:
		return lang.L("Organisation renamed")
	case data.AuditAddLocation:
		return lang.L("Location added")
	case data.AuditRenameLocation:
		return lang.L("Location renamed")
	case data.AuditCloseLocation:
		return lang.L("Location closed")
	case data.AuditAddGroup:
		return lang.L("Group added")
	case data.AuditUpdateGroup:
		return lang.L("Group changed")
	case data.AuditCloseGroup:
		return lang.L("Group closed")
	case data.AuditAddUser:
		return lang.L("Account added")
	case data.AuditUpdateUser:
		return lang.L("Account changed")
	case data.AuditSetSecret:
		return lang.L("PIN or password set")
	case data.AuditChangeOwnSecret:
		return lang.L("Own PIN or password changed")
	case data.AuditDeactivateUser:
		return lang.L("Account deactivated")
	case data.AuditReactivateUser:
		return lang.L("Account reactivated")
	case data.AuditCreatePairingCode:
		return lang.L("Pairing code made")
	case data.AuditPairDevice:
		return lang.L("Device paired")
	case data.AuditRevokeDevice:
		return lang.L("Device unpaired")
	}
	return action
}
