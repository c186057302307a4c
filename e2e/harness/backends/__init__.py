"""The engines behind the runner's Session interface: Playwright, W3C WebDriver, Marionette, and what they need (X server, Grid, Playwright server, other releases, third-party policies)."""
