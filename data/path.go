package data

import (
	"os"
	"path/filepath"
	"runtime"
)

// DefaultPath is where the data file lives unless --db says otherwise: the
// user's data folder (%LOCALAPPDATA% on Windows, ~/Library/Application Support
// on macOS, $XDG_DATA_HOME or ~/.local/share elsewhere).
func DefaultPath() (string, error) {
	var base string
	switch runtime.GOOS {
	case "windows":
		base = os.Getenv("LOCALAPPDATA")
	case "darwin":
		home, err := os.UserHomeDir()
		if err != nil {
			return "", err
		}
		base = filepath.Join(home, "Library", "Application Support")
	default:
		base = os.Getenv("XDG_DATA_HOME")
		if base == "" {
			home, err := os.UserHomeDir()
			if err != nil {
				return "", err
			}
			base = filepath.Join(home, ".local", "share")
		}
	}
	if base == "" {
		dir, err := os.UserConfigDir()
		if err != nil {
			return "", err
		}
		base = dir
	}
	return filepath.Join(base, "Locatiedesk", "locatiedesk.db"), nil
}
