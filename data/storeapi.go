package data

import (
	"context"
	"io"
	"iter"
	"time"
)

// Store is where a location's data lives, for the screens and the command
// line: the bbolt file on this computer (package boltstore) or, through the
// network, the location's hub. Every call takes a context; every write checks
// the rules of this package and the actor's role, and is logged, in one
// transaction of the store. Reads through As(actor) see what the actor may.
type Store interface {
	// Today and Now are the store's clock. They, As and Close touch no data
	// and so take no context.
	Today() Date
	Now() time.Time
	// Subscribe calls fn with each change committed after sequence number
	// after (FeedLive: from now on), in order and once each, until ctx ends or
	// cancel is called. fn runs on the store's goroutine and must not block.
	Subscribe(ctx context.Context, after uint64, fn func(Change)) (cancel func(), err error)

	Locations(ctx context.Context) ([]Location, error)
	Groups(ctx context.Context, locationID ID) ([]Group, error)
	GroupByName(ctx context.Context, name string) (Group, error)
	Children(ctx context.Context, locationID ID) ([]Child, error)

	DayList(ctx context.Context, groupID ID, d Date) (DayList, error)
	Unlock(ctx context.Context, d Date, by string) (*Unlock, error)
	CheckIn(ctx context.Context, e DayEdit, at Clock) error
	CheckOut(ctx context.Context, e DayEdit, at Clock) error
	SetTimes(ctx context.Context, e DayEdit, in, out *Clock) error
	MarkAbsent(ctx context.Context, e DayEdit, reason AbsenceReason) error
	MarkAbsentOther(ctx context.Context, e DayEdit, text string) error
	ClearAbsence(ctx context.Context, e DayEdit) error
	SetNote(ctx context.Context, e DayEdit, note string) error
	// PresentNow is who is here right now, for the evacuation and excursion list.
	PresentNow(ctx context.Context, locationID, groupID ID) (PresentList, error)

	// School calendars, holiday care (V2) and study days (S1).
	Schools(ctx context.Context) ([]School, error)
	SchoolByName(ctx context.Context, name string) (School, error)
	SchoolCalendar(ctx context.Context, schoolID ID) (SchoolCalendar, error)
	AddHoliday(ctx context.Context, h SchoolHoliday) (SchoolHoliday, error)
	RemoveHoliday(ctx context.Context, schoolID, holidayID ID) error
	AddStudyDay(ctx context.Context, sd StudyDay) error
	RemoveStudyDay(ctx context.Context, schoolID ID, d Date) error
	ImportCalendar(ctx context.Context, schoolID ID, f CalendarFile) (CalendarImportResult, error)
	HolidayOverview(ctx context.Context, schoolID, holidayID ID) (HolidayOverview, error)
	RegisterHolidayContract(ctx context.Context, r HolidayContractRequest) (Contract, error)
	StudyDays(ctx context.Context, from, to Date) ([]StudyDay, error)
	StudyDaySheet(ctx context.Context, locationID, schoolID ID, d Date) (StudyDaySheet, error)
	RegisterSignUps(ctx context.Context, reg SignUpRegistration) error
	DecideStudyDay(ctx context.Context, locationID, schoolID ID, d Date, outcome StudyDayOutcome, by string) error
	StudyDayNotice(ctx context.Context, locationID, schoolID ID, d Date) (StudyDayNotice, error)
	Consent(ctx context.Context, childID ID) (ChildConsent, error)
	RecordConsent(ctx context.Context, c ConsentChange) error
	ConsentOverview(ctx context.Context, locationID, groupID ID) ([]ConsentRow, error)
	ImportConsent(ctx context.Context, r io.Reader, by, note string) (ConsentImportResult, error)
	// Extra-care requests, credit and approvals.
	Settings(ctx context.Context) (Settings, error)
	Group(ctx context.Context, id ID) (Group, error)
	Child(ctx context.Context, id ID) (Child, error)
	Ledger(ctx context.Context, childID ID) (Ledger, error)
	ReportAbsence(ctx context.Context, r AbsenceReport) (Attendance, error)
	RequestChildren(ctx context.Context, groupID ID, d Date) ([]Child, error)
	PreviewRequest(ctx context.Context, d RequestDraft) (RequestPreview, error)
	SubmitRequest(ctx context.Context, d RequestDraft, pay Payment) (Request, error)
	ApproveRequest(ctx context.Context, id ID, by string) error
	RejectRequest(ctx context.Context, id ID, by, reason string) error
	CancelRequest(ctx context.Context, id ID, by, reason string) error
	OpenRequests(ctx context.Context, groupID ID) ([]QueueItem, error)
	LocationQueue(ctx context.Context, locationID ID) ([]QueueItem, error)
	UndoDecision(ctx context.Context, id ID, by string) error
	Request(ctx context.Context, id ID) (Request, error)
	OpenRequestCounts(ctx context.Context, locationID ID) (map[ID]int, error)
	ChildRequests(ctx context.Context, childID ID) ([]Request, error)

	// Children and their contracts (M1–M3): the card and the children screen.
	Contracts(ctx context.Context, childID ID) ([]Contract, error)
	AddChild(ctx context.Context, c Child) (Child, error)
	UpdateChild(ctx context.Context, c Child) error
	SetChildPicture(ctx context.Context, childID ID, img []byte) error
	AddContract(ctx context.Context, c Contract) (Contract, error)
	ChangeContract(ctx context.Context, contractID ID, from Date, next Contract) (Contract, error)
	MoveChild(ctx context.Context, childID, toGroupID ID, from Date) error
	EndCare(ctx context.Context, childID ID, lastDay Date) error
	PlanChildImport(ctx context.Context, ci ChildImport) (ChildImportPlan, error)
	ImportChildren(ctx context.Context, ci ChildImport) (ChildImportPlan, error)
	// ExportChildren writes the children and contracts of a location (0: all) in the import's format.
	ExportChildren(ctx context.Context, w io.Writer, locationID ID) error

	// Signing in; As gives the handle whose writes are the actor's (checked and logged).
	Users(ctx context.Context) ([]User, error)
	SignIn(ctx context.Context, userID ID, secret string) (Actor, error)
	As(a Actor) Store
	ActorFor(ctx context.Context, userID ID) (Actor, error)
	ChangeOwnSecret(ctx context.Context, current, secret string) error

	// A new organisation (M1), its locations and groups, accounts and settings.
	IsEmpty(ctx context.Context) (bool, error)
	SetUp(ctx context.Context, s OrganisationSetup) (Actor, error)
	Organisation(ctx context.Context) (Organisation, error)
	OrganisationName(ctx context.Context) (string, error)
	RenameOrganisation(ctx context.Context, name string) error
	AddLocation(ctx context.Context, name string) (Location, error)
	RenameLocation(ctx context.Context, id ID, name string) error
	CloseLocation(ctx context.Context, id ID) error
	AddGroup(ctx context.Context, g Group) (Group, error)
	UpdateGroup(ctx context.Context, g Group) error
	CloseGroup(ctx context.Context, id ID) error
	StaffAccounts(ctx context.Context) ([]StaffAccount, error)
	AddUser(ctx context.Context, nu NewUser) (User, error)
	UpdateUser(ctx context.Context, u User) error
	SetSecret(ctx context.Context, userID ID, secret string) error
	DeactivateUser(ctx context.Context, userID ID) error
	ReactivateUser(ctx context.Context, userID ID) error
	SaveSettings(ctx context.Context, s Settings) error
	Audit(ctx context.Context, f AuditFilter) ([]AuditEntry, error)
	LogPrint(ctx context.Context, what string) error
	// Personal data (AVG): everything held about one child.
	ChildRecord(ctx context.Context, childID ID) (ChildRecord, error)
	// Invoicing export (F1).
	PreviewInvoicing(ctx context.Context, spec InvoiceSpec, progress func(float64)) (InvoiceSummary, error)
	ExportInvoicing(ctx context.Context, spec InvoiceSpec, progress func(float64)) (InvoiceBatch, error)
	InvoiceBatches(ctx context.Context) ([]InvoiceBatch, error)
	InvoiceBatch(ctx context.Context, id ID) (InvoiceBatch, error)
	InvoiceLines(ctx context.Context, batchID ID) iter.Seq2[InvoiceLine, error]

	// Paired devices (tablets, other computers) and their one-time pairing
	// codes. A manager makes a code and revokes devices; the hub itself
	// (the unbound store) pairs a device with an open code, checks a
	// device's credential on every call and notes when it was last seen.
	CreatePairingCode(ctx context.Context, deviceName string) (PairingCode, error)
	PendingPairings(ctx context.Context) ([]PairingCode, error)
	// PairDevice consumes the code and pairs a device under the code's name,
	// or under asked when the manager gave none.
	PairDevice(ctx context.Context, codeID ID, asked string, credentialHash []byte) (Device, error)
	Devices(ctx context.Context) ([]Device, error)
	Device(ctx context.Context, id ID) (Device, error)
	RevokeDevice(ctx context.Context, id ID) error
	// DeviceSeen is bookkeeping, not an action: it is neither logged nor in
	// the change feed.
	DeviceSeen(ctx context.Context, id ID, at time.Time) error

	// WriteBackup writes a consistent copy of all data to w.
	WriteBackup(ctx context.Context, w io.Writer) (int64, error)
	// Close releases the store; calls after it fail.
	Close() error
}

// FeedLive subscribes to changes from now on, with no catching up.
const FeedLive uint64 = 0
