public enum WFCDriverPlaceholder {}
