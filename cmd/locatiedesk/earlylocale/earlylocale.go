// Package earlylocale keeps Fyne from logging "Error parsing user locale C"
// under LANG=C.UTF-8 (or POSIX.UTF-8) at every start, commands included.
//
// Fyne's lang package reads the locale in its own init, before main runs,
// and its locale library understands "C" but not "C.UTF-8". Go initialises
// packages in the order of their import paths once their imports are
// done, so this package, whose path sorts before "fyne.io/…" (hence its own
// module, early.locatiedesk/…), runs first and shortens such a value to
// "C". Restore puts the value back for what follows (the window's text input).
package earlylocale

import (
	"os"
	"strings"
)

// changed is the variable shortened, and its value before.
var changed struct {
	name, value string
}

func init() {
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} { // the order the locale library reads them
		value := os.Getenv(name)
		if value == "" {
			continue
		}
		if lang, _, ok := strings.Cut(value, "."); ok && (lang == "C" || lang == "POSIX") {
			changed.name, changed.value = name, value
			os.Setenv(name, lang)
		}
		return
	}
}

// Restore puts back the value init shortened, once Fyne has read it.
func Restore() {
	if changed.name != "" {
		os.Setenv(changed.name, changed.value)
	}
}
