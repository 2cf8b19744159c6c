"""Demo content and synthetic records, installed only by the dev, test and bench settings."""
