package data

import (
	"errors"
)

// ErrNotABackup is returned for a file that is damaged or not a Locatiedesk data file.
var ErrNotABackup = errors.New("not a usable Locatiedesk data file")

// The codes of refusals of backing up and restoring, on the command line.
const (
	RefuseBackupNotAFile   = "backup-not-a-file"      // a backup named at a folder or a device
	RefuseBackupDataNotOne = "backup-data-not-a-file" // a data file named at a folder or a device
	RefuseBackupNoFolder   = "backup-no-folder"       // the data file's folder does not exist
	RefuseBackupInUse      = "backup-in-use"          // ErrInUse: the app has the data file open
)

var backupRefusals = map[string]RefusalText{
	RefuseBackupNotAFile:   {Text: "{{.Path}} is a folder or a device: name a file."},
	RefuseBackupDataNotOne: {Text: "{{.Path}} is a folder or a device, not a data file: name the data file with --db."},
	RefuseBackupNoFolder:   {Text: "There is no folder for the data file {{.Path}}."},
	RefuseBackupInUse:      {Text: "Locatiedesk has the data file {{.Path}} open. Close Locatiedesk first.", Kind: ErrInUse},
}
