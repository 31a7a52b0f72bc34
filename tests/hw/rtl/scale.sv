// A hand-written core with Calyx's external-memory protocol, to test the harness alone:
// out[i / 2][i % 2] = in[i] * k for i in 0..7 (16-bit), three cycles per element, so
// go to done takes exactly 1 + 8 * 3 = 25 rising edges.
module scale(
  input  [31:0] k,
  input  [15:0] ext_mem0_read_data,
  input         ext_mem0_done,
  output [15:0] ext_mem0_write_data,
  output [2:0]  ext_mem0_addr0,
  output        ext_mem0_write_en,
  input  [15:0] ext_mem1_read_data,
  input         ext_mem1_done,
  output [15:0] ext_mem1_write_data,
  output [1:0]  ext_mem1_addr0,
  output        ext_mem1_addr1,
  output        ext_mem1_write_en,
  input         clk,
  input         reset,
  input         go,
  output        done
);
  localparam IDLE = 2'd0, READ = 2'd1, WRITE = 2'd2, DONE = 2'd3;
  reg [1:0] state;
  reg [2:0] i;
  reg [15:0] data;
  wire [31:0] product = {{16{data[15]}}, data} * k;

  always @(posedge clk) begin
    if (reset) begin
      state <= IDLE;
      i <= 3'd0;
      data <= 16'd0;
    end else begin
      case (state)
        IDLE: if (go) state <= READ;
        READ: begin
          data <= ext_mem0_read_data;
          state <= WRITE;
        end
        WRITE: if (ext_mem1_done) begin
          i <= i + 3'd1;
          state <= (i == 3'd7) ? DONE : READ;
        end
        default: state <= DONE;
      endcase
    end
  end

  assign ext_mem0_addr0 = i;
  assign ext_mem0_write_en = 1'b0;
  assign ext_mem0_write_data = 16'd0;
  assign ext_mem1_addr0 = i[2:1];
  assign ext_mem1_addr1 = i[0];
  assign ext_mem1_write_data = product[15:0];
  assign ext_mem1_write_en = state == WRITE;
  assign done = state == DONE;
endmodule
