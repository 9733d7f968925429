"""Pure helpers shared by the apps. No Django import (import-linter checks)."""
