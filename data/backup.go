package data

import (
	"errors"
)

// ErrNotABackup is returned for a file that is damaged or not a Locatiedesk data file.
var ErrNotABackup = errors.New("not a usable Locatiedesk data file")
