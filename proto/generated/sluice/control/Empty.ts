// Original file: control.proto


export interface Empty {
}

export interface Empty__Output {
}
