public enum MenuImportModule {}
