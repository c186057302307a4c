"""cookie-lab reference site: every cookie Django can set, served to real browsers."""
