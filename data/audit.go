package data

import (
	"slices"
	"strings"
	"time"
)

// AuditEntry is one committed write: who, when, which action, and what it
// changed. Entries are only ever appended (audit/<seq>); nothing edits or
// deletes them.
type AuditEntry struct {
	Seq    uint64    `json:"seq"`
	At     time.Time `json:"at"`
	UserID ID        `json:"userId,omitempty"`
	Who    string    `json:"who"`
	// Device is the paired device the write came through; empty on the
	// hub's own computer.
	Device  string   `json:"device,omitempty"`
	Action  string   `json:"action"`
	Changes []Change `json:"changes,omitempty"`
	// Detail says what the action did in words, where the action gives it.
	Detail string `json:"detail,omitempty"`
}

// SystemName is who writes through a handle without a signed-in user.
const SystemName = "system"

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
	AuditMigrate        = "Migrate" // a location's data file moved into the organisation's database
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
	// Paired devices.
	AuditCreatePairingCode = "CreatePairingCode"
	AuditPairDevice        = "PairDevice"
	AuditRevokeDevice      = "RevokeDevice"
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
	AuditGrantOnLedger, AuditGrantOnPreview, AuditSeed, AuditImportHistory, AuditImportRecords, AuditImportRequests, AuditFinished, AuditMigrate,
	AuditSetUp, AuditRenameOrganisation, AuditAddLocation, AuditRenameLocation, AuditCloseLocation,
	AuditAddGroup, AuditUpdateGroup, AuditCloseGroup,
	AuditAddUser, AuditUpdateUser, AuditSetSecret, AuditChangeOwnSecret, AuditDeactivateUser, AuditReactivateUser,
	AuditCreatePairingCode, AuditPairDevice, AuditRevokeDevice,
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

func (f AuditFilter) Matches(e AuditEntry) bool {
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

// NewAuditEntry is the log entry of a write made at `at` through a handle of
// actor a (nil: the system): who wrote it, from which device, and the
// details of its changes joined in words.
func NewAuditEntry(a *Actor, at time.Time, action string, changes []Change) AuditEntry {
	e := AuditEntry{At: at, Who: SystemName, Action: action, Changes: changes}
	if a != nil {
		e.Device = a.Device
		// An actor of a device alone (a sign-in on a paired tablet, before
		// anyone is signed in) writes as the system, from that device.
		if a.Name != "" {
			e.UserID, e.Who = a.UserID, a.Name
		}
	}
	for _, c := range changes {
		if c.Detail != "" {
			e.Detail = strings.TrimPrefix(e.Detail+"; "+c.Detail, "; ")
		}
	}
	return e
}
