package data

import (
	"fmt"
	"runtime"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// AuditEntry is one committed write: who, when, which action, and what it
// changed. Entries are only ever appended (audit/<seq>); nothing edits or
// deletes them.
type AuditEntry struct {
	Seq     uint64    `json:"seq"`
	At      time.Time `json:"at"`
	UserID  ID        `json:"userId,omitempty"`
	Who     string    `json:"who"`
	Action  string    `json:"action"`
	Changes []Change  `json:"changes,omitempty"`
	// Detail says what the action did in words, where the action gives it.
	Detail string `json:"detail,omitempty"`
}

// systemName is who writes through a handle without a signed-in user.
const systemName = "system"

func (db *DB) auditEntry(action string, changes []Change) AuditEntry {
	e := AuditEntry{At: db.now(), Who: systemName, Action: action, Changes: changes}
	if db.actor != nil {
		e.UserID, e.Who = db.actor.UserID, db.actor.Name
	}
	for _, c := range changes {
		if c.Detail != "" {
			e.Detail = strings.TrimPrefix(e.Detail+"; "+c.Detail, "; ")
		}
	}
	return e
}

func appendAudit(tx *bolt.Tx, e AuditEntry) error {
	b := tx.Bucket(bucketAudit)
	seq, err := b.NextSequence()
	if err != nil {
		return err
	}
	e.Seq = seq
	return putJSON(b, itob(seq), e)
}

// The actions of the audit log. An entry's action is the store method the
// write came through (writeAction), so no write can forget to name itself;
// these constants are that vocabulary, for screens that filter on actions
// and say them in words. TestAudit_EveryActionIsKnown keeps the list whole.
const (
	AuditCheckIn                 = "CheckIn"
	AuditCheckOut                = "CheckOut"
	AuditSetTimes                = "SetTimes"
	AuditMarkAbsent              = "MarkAbsent"
	AuditMarkAbsentOther         = "MarkAbsentOther"
	AuditClearAbsence            = "ClearAbsence"
	AuditReportAbsence           = "ReportAbsence"
	AuditSetNote                 = "SetNote"
	AuditUnlock                  = "Unlock"
	AuditSubmitRequest           = "SubmitRequest"
	AuditApproveRequest          = "ApproveRequest"
	AuditRejectRequest           = "RejectRequest"
	AuditCancelRequest           = "CancelRequest"
	AuditUndoDecision            = "UndoDecision"
	AuditRegisterHolidayContract = "RegisterHolidayContract"
	AuditRegisterSignUps         = "RegisterSignUps"
	AuditDecideStudyDay          = "DecideStudyDay"
	AuditAddHoliday              = "AddHoliday"
	AuditRemoveHoliday           = "RemoveHoliday"
	AuditAddStudyDay             = "AddStudyDay"
	AuditRemoveStudyDay          = "RemoveStudyDay"
	AuditImportCalendar          = "ImportCalendar"
	AuditRecordConsent           = "RecordConsent"
	AuditImportConsent           = "ImportConsent"
	AuditExportInvoicing         = "ExportInvoicing"
	AuditPrint                   = "LogPrint"
	AuditChildRecord             = "ChildRecord"
	AuditPurgeExpired            = "PurgeExpired"
	AuditSignIn                  = "SignIn"
	AuditSaveSettings            = "SaveSettings"
	// Children and contracts (M1, M2).
	AuditAddChild        = "AddChild"
	AuditUpdateChild     = "UpdateChild"
	AuditSetChildPicture = "SetChildPicture"
	AuditMoveChild       = "MoveChild"
	AuditEndCare         = "EndCare"
	AuditAddContract     = "AddContract"
	AuditChangeContract  = "ChangeContract"
	AuditImportChildren  = "ImportChildren"
	AuditExportChildren  = "ExportChildren"
	// Flexible credit is granted for the contract year when a child's
	// credit is first read or a request first previewed in it.
	AuditGrantOnLedger  = "Ledger"
	AuditGrantOnPreview = "PreviewRequest"
	// The data brought in at set-up.
	AuditSeed           = "Seed"
	AuditImportHistory  = "ImportHistory"
	AuditImportRecords  = "ImportRecords"
	AuditImportRequests = "ImportRequests"
	AuditFinished       = "Finished"
	// The organisation, its locations, groups and accounts (M1).
	AuditSetUp              = "SetUp"
	AuditRenameOrganisation = "RenameOrganisation"
	AuditAddLocation        = "AddLocation"
	AuditRenameLocation     = "RenameLocation"
	AuditCloseLocation      = "CloseLocation"
	AuditAddGroup           = "AddGroup"
	AuditUpdateGroup        = "UpdateGroup"
	AuditCloseGroup         = "CloseGroup"
	AuditAddUser            = "AddUser"
	AuditUpdateUser         = "UpdateUser"
	AuditSetSecret          = "SetSecret"
	AuditChangeOwnSecret    = "ChangeOwnSecret"
	AuditDeactivateUser     = "DeactivateUser"
	AuditReactivateUser     = "ReactivateUser"
)

// AuditActions lists the actions in the order a screen offers them.
var AuditActions = []string{
	AuditCheckIn, AuditCheckOut, AuditSetTimes, AuditMarkAbsent, AuditMarkAbsentOther, AuditClearAbsence,
	AuditReportAbsence, AuditSetNote, AuditUnlock,
	AuditSubmitRequest, AuditApproveRequest, AuditRejectRequest, AuditCancelRequest, AuditUndoDecision,
	AuditRegisterHolidayContract, AuditRegisterSignUps, AuditDecideStudyDay, AuditAddHoliday, AuditRemoveHoliday, AuditAddStudyDay,
	AuditRemoveStudyDay, AuditImportCalendar, AuditRecordConsent, AuditImportConsent, AuditExportInvoicing,
	AuditPrint, AuditChildRecord, AuditPurgeExpired, AuditSignIn, AuditSaveSettings,
	AuditAddChild, AuditUpdateChild, AuditSetChildPicture, AuditMoveChild, AuditEndCare,
	AuditAddContract, AuditChangeContract, AuditImportChildren, AuditExportChildren,
	AuditGrantOnLedger, AuditGrantOnPreview, AuditSeed, AuditImportHistory, AuditImportRecords, AuditImportRequests, AuditFinished,
	AuditSetUp, AuditRenameOrganisation, AuditAddLocation, AuditRenameLocation, AuditCloseLocation,
	AuditAddGroup, AuditUpdateGroup, AuditCloseGroup,
	AuditAddUser, AuditUpdateUser, AuditSetSecret, AuditChangeOwnSecret, AuditDeactivateUser, AuditReactivateUser,
}

// writeAction names the exported store method a write came through (such as
// "CheckIn" or "ApproveRequest"), read from the call stack so that no write
// path can forget to name itself in the audit log.
func writeAction() string {
	pcs := make([]uintptr, 16)
	n := runtime.Callers(3, pcs)
	frames := runtime.CallersFrames(pcs[:n])
	name := "write"
	for {
		f, more := frames.Next()
		const prefix = "locatiedesk/data.(*DB)."
		if method, ok := strings.CutPrefix(f.Function, prefix); ok && method != "" && method[0] >= 'A' && method[0] <= 'Z' {
			name = method // keep the outermost exported method
		}
		if !more {
			return name
		}
	}
}

// AuditFilter narrows the audit log; zero fields match everything.
type AuditFilter struct {
	UserID  ID
	ChildID ID
	Date    Date // the day a change was about (not when it was made)
	Action  string
	// Actions matches any of several actions (said in the same words on screen).
	Actions []string
	Limit   int // newest first; 0 means 200
}

// Audit returns log entries matching f, newest first.
func (db *DB) Audit(f AuditFilter) ([]AuditEntry, error) {
	if f.Limit <= 0 {
		f.Limit = 200
	}
	var out []AuditEntry
	err := db.view(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketAudit).Cursor()
		for k, _ := c.Last(); k != nil && len(out) < f.Limit; k, _ = c.Prev() {
			e, err := getJSON[AuditEntry](tx.Bucket(bucketAudit), k)
			if err != nil {
				return fmt.Errorf("audit entry %x: %w", k, err)
			}
			if f.matches(e) {
				out = append(out, e)
			}
		}
		return nil
	})
	return out, err
}

func (f AuditFilter) matches(e AuditEntry) bool {
	if f.UserID != 0 && e.UserID != f.UserID || f.Action != "" && e.Action != f.Action ||
		len(f.Actions) > 0 && !slices.Contains(f.Actions, e.Action) {
		return false
	}
	if f.ChildID == 0 && f.Date.IsZero() {
		return true
	}
	for _, c := range e.Changes {
		if (f.ChildID == 0 || c.ChildID == f.ChildID) && (f.Date.IsZero() || c.Date == f.Date) {
			return true
		}
	}
	return false
}

// As returns a handle on the same store whose writes are made by a, checked
// against a's role (Actor.Can) inside each transaction and logged with a's name.
func (db *DB) As(a Actor) *DB {
	bound := *db
	bound.actor = &a
	return &bound
}

// allow checks, inside a transaction, that the handle's actor may do action
// for a group (groupID != 0) or at a location. The system may do anything.
func (db *DB) allow(tx *bolt.Tx, action Action, locationID, groupID ID) error {
	if db.actor == nil {
		return nil
	}
	var g Group
	if groupID != 0 {
		var err error
		if g, err = getJSON[Group](tx.Bucket(bucketGroups), idKey(groupID)); err != nil {
			return fmt.Errorf("group %d: %w", groupID, err)
		}
	}
	return db.actor.Can(action, locationID, g)
}

// allowRole checks only that the actor's role may do action at all, for
// actions that belong to no one location (school calendars, settings).
func (db *DB) allowRole(action Action) error {
	if db.actor == nil || RoleMay(db.actor.Role, action) {
		return nil
	}
	return fmt.Errorf("%w: %s may not %s", ErrForbidden, db.actor.Role, action)
}

// LogPrint records in the audit log that a sheet with children's names was
// printed or saved (what says which), as every print and export must be.
func (db *DB) LogPrint(what string) error {
	return db.update(func(_ *bolt.Tx, changed *[]Change) error {
		*changed = append(*changed, Change{Kind: ChangePrint, Detail: what})
		return nil
	})
}
