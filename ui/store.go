package ui

import (
	"io"
	"iter"
	"time"

	"locatiedesk/data"
)

// Store is what the screens need from the data layer; *data.DB implements it.
type Store interface {
	Today() data.Date
	Now() time.Time
	Subscribe(func(data.Change)) (cancel func())

	Locations() ([]data.Location, error)
	Groups(locationID data.ID) ([]data.Group, error)
	Children(locationID data.ID) ([]data.Child, error)

	DayList(groupID data.ID, d data.Date) (data.DayList, error)
	Unlock(d data.Date, by string) (*data.Unlock, error)
	CheckIn(e data.DayEdit, at data.Clock) error
	CheckOut(e data.DayEdit, at data.Clock) error
	SetTimes(e data.DayEdit, in, out *data.Clock) error
	MarkAbsent(e data.DayEdit, reason data.AbsenceReason) error
	MarkAbsentOther(e data.DayEdit, text string) error
	ClearAbsence(e data.DayEdit) error
	SetNote(e data.DayEdit, note string) error
	// PresentNow is who is here right now, for the evacuation and excursion list.
	PresentNow(locationID, groupID data.ID) (data.PresentList, error)

	// School calendars, holiday care (V2) and study days (S1).
	Schools() ([]data.School, error)
	SchoolCalendar(schoolID data.ID) (data.SchoolCalendar, error)
	AddHoliday(h data.SchoolHoliday) (data.SchoolHoliday, error)
	RemoveHoliday(schoolID, holidayID data.ID) error
	AddStudyDay(sd data.StudyDay) error
	RemoveStudyDay(schoolID data.ID, d data.Date) error
	ImportCalendar(schoolID data.ID, f data.CalendarFile) (data.CalendarImportResult, error)
	HolidayOverview(schoolID, holidayID data.ID) (data.HolidayOverview, error)
	RegisterHolidayContract(r data.HolidayContractRequest) (data.Contract, error)
	StudyDays(from, to data.Date) ([]data.StudyDay, error)
	StudyDaySheet(locationID, schoolID data.ID, d data.Date) (data.StudyDaySheet, error)
	RegisterSignUps(reg data.SignUpRegistration) error
	DecideStudyDay(locationID, schoolID data.ID, d data.Date, outcome data.StudyDayOutcome, by string) error
	StudyDayNotice(locationID, schoolID data.ID, d data.Date) (data.StudyDayNotice, error)
	Consent(childID data.ID) (data.ChildConsent, error)
	RecordConsent(c data.ConsentChange) error
	ConsentOverview(locationID, groupID data.ID) ([]data.ConsentRow, error)
	ImportConsent(r io.Reader, by, note string) (data.ConsentImportResult, error)
	// Extra-care requests, credit and approvals.
	Settings() (data.Settings, error)
	Group(id data.ID) (data.Group, error)
	Child(id data.ID) (data.Child, error)
	Ledger(childID data.ID) (data.Ledger, error)
	ReportAbsence(r data.AbsenceReport) (data.Attendance, error)
	RequestChildren(groupID data.ID, d data.Date) ([]data.Child, error)
	PreviewRequest(d data.RequestDraft) (data.RequestPreview, error)
	SubmitRequest(d data.RequestDraft, pay data.Payment) (data.Request, error)
	ApproveRequest(id data.ID, by string) error
	RejectRequest(id data.ID, by, reason string) error
	CancelRequest(id data.ID, by, reason string) error
	OpenRequests(groupID data.ID) ([]data.QueueItem, error)
	LocationQueue(locationID data.ID) ([]data.QueueItem, error)
	UndoDecision(id data.ID, by string) error
	Request(id data.ID) (data.Request, error)
	OpenRequestCounts(locationID data.ID) (map[data.ID]int, error)
	ChildRequests(childID data.ID) ([]data.Request, error)

	// Children and their contracts (M1–M3): the card and the children screen.
	Contracts(childID data.ID) ([]data.Contract, error)
	AddChild(c data.Child) (data.Child, error)
	UpdateChild(c data.Child) error
	SetChildPicture(childID data.ID, img []byte) error
	AddContract(c data.Contract) (data.Contract, error)
	ChangeContract(contractID data.ID, from data.Date, next data.Contract) (data.Contract, error)
	MoveChild(childID, toGroupID data.ID, from data.Date) error
	EndCare(childID data.ID, lastDay data.Date) error
	PlanChildImport(ci data.ChildImport) (data.ChildImportPlan, error)
	ImportChildren(ci data.ChildImport) (data.ChildImportPlan, error)

	// Signing in; As gives the handle whose writes are the actor's (checked and logged).
	Users() ([]data.User, error)
	SignIn(userID data.ID, secret string) (data.Actor, error)
	As(a data.Actor) *data.DB
	ActorFor(userID data.ID) (data.Actor, error)
	ChangeOwnSecret(current, secret string) error

	// A new organisation (M1), its locations and groups, accounts and settings.
	IsEmpty() (bool, error)
	SetUp(s data.OrganisationSetup) (data.Actor, error)
	Organisation() (data.Organisation, error)
	OrganisationName() (string, error)
	RenameOrganisation(name string) error
	AddLocation(name string) (data.Location, error)
	RenameLocation(id data.ID, name string) error
	CloseLocation(id data.ID) error
	AddGroup(g data.Group) (data.Group, error)
	UpdateGroup(g data.Group) error
	CloseGroup(id data.ID) error
	StaffAccounts() ([]data.StaffAccount, error)
	AddUser(nu data.NewUser) (data.User, error)
	UpdateUser(u data.User) error
	SetSecret(userID data.ID, secret string) error
	DeactivateUser(userID data.ID) error
	ReactivateUser(userID data.ID) error
	SaveSettings(s data.Settings) error
	Audit(f data.AuditFilter) ([]data.AuditEntry, error)
	LogPrint(what string) error
	// Personal data (AVG): everything held about one child.
	ChildRecord(childID data.ID) (data.ChildRecord, error)
	// Invoicing export (F1).
	PreviewInvoicing(spec data.InvoiceSpec, progress func(float64)) (data.InvoiceSummary, error)
	ExportInvoicing(spec data.InvoiceSpec, progress func(float64)) (data.InvoiceBatch, error)
	InvoiceBatches() ([]data.InvoiceBatch, error)
	InvoiceLines(batchID data.ID) iter.Seq2[data.InvoiceLine, error]
}
